import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { bestAndBaseline } from './best';
import type { Metrics, RunInfo } from './types';

const run = (id: string, accuracy: number, values: Record<string, unknown>) => ({ id, metrics: { accuracy } as Metrics, run: { values } as RunInfo });

test('the most accurate run, and the baseline run with its other settings', () => {
  const runs = [
    run('b-lr1-s1', 0.9, { variant: 'baseline', lr: 1, seed: 1 }),
    run('b-lr2-s1', 0.93, { variant: 'baseline', lr: 2, seed: 1 }),
    run('b-lr1-s2', 0.91, { variant: 'baseline', lr: 1, seed: 2 }),
    run('x-lr1-s2', 0.95, { variant: 'x', lr: 1, seed: 2 }),
  ];
  const { best, baseline } = bestAndBaseline(runs);
  assert.deepEqual([best.id, baseline?.id], ['x-lr1-s2', 'b-lr1-s2']);
});

test('no baseline with the same settings: the most accurate baseline; the baseline as the best: none beside it', () => {
  const runs = [run('b1', 0.9, { variant: 'baseline', lr: 1 }), run('b2', 0.92, { variant: 'baseline', lr: 2 }), run('x3', 0.95, { variant: 'x', lr: 3 })];
  assert.equal(bestAndBaseline(runs).baseline?.id, 'b2');
  assert.deepEqual(bestAndBaseline(runs.slice(0, 2)), { best: runs[1] });
  assert.deepEqual(bestAndBaseline([run('a', 0.9, {})]), { best: run('a', 0.9, {}) });
});
