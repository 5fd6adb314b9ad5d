import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { diffResults, formatDiff } from './diff';
import type { ReportRun } from './types';

const run = (id: string, accuracy: number, training: Record<string, unknown>, layers = [{ id: 'C1', type: 'conv', kernel: [5, 5] }]): ReportRun => ({
  name: id,
  history: { epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: 0.85, learningRate: 0.001, seconds: 1, samplesPerSecond: 100 }] },
  run: { pipeline: 'p', run: id, model: 'M', backend: 'wasm', threads: 1, seed: 1, paramCount: 1234, status: 'ok', epochsRun: 1, seconds: 2, layers: [], config: { dataset: { source: 'mnist' }, model: { layers }, training } },
  metrics: { accuracy, loss: 0.3, parity: { ok: true } } as ReportRun['metrics'],
});

const sides = { old: 'HEAD', new: 'working tree' };

test('settings that changed, run by run, with layers named by their id; every metric with its change', () => {
  const before = [run('m0', 0.9, { l2: 0.0001, epochs: 10 }), run('m1', 0.95, { l2: 0.0001 }), run('gone', 0.5, {})];
  const after = [run('m0', 0.915, { l2: 0.001, epochs: 10 }, [{ id: 'C1', type: 'conv', kernel: [3, 3] }]), run('m1', 0.95, { l2: 0.0001 }), run('new', 0.6, {})];
  const diff = diffResults(before, after, sides);
  assert.deepEqual(diff.params, [
    { run: 'm0', param: 'model.layers.C1.kernel', old: [5, 5], new: [3, 3] },
    { run: 'm0', param: 'training.l2', old: 0.0001, new: 0.001 },
  ]);
  assert.deepEqual(diff.metrics.filter((m) => m.metric === 'test accuracy').map((m) => [m.run, m.old, m.new, m.change?.toFixed(3)]), [['m0', 0.9, 0.915, '0.015'], ['m1', 0.95, 0.95, '0.000']]);
  assert.deepEqual([diff.added, diff.removed], [['new'], ['gone']]);
  const text = formatDiff(diff, 'text');
  assert.match(text, /^m0   training\.l2\s+0\.0001\s+0\.001$/m);
  assert.match(text, /^m0   test accuracy\s+90\.00%\s+91\.50%\s+\+1\.50 pt$/m);
  assert.match(text, /^Only in working tree: new$/m);
  assert.match(formatDiff(diff, 'md'), /^\| m0 \| test loss \| 0\.3000 \| 0\.3000 \| 0 \|$/m);
  assert.deepEqual(JSON.parse(formatDiff(diff, 'json')).params.length, 2);
});

test('nothing changed: said in one line', () => {
  const runs = [run('default', 0.9, { l2: 0.0001 })];
  assert.match(formatDiff(diffResults(runs, runs, sides), 'text'), /^No setting changed between HEAD and working tree\.$/m);
});
