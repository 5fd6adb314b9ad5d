import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { diffResults, formatDiff, type DiffSide } from './diff';
import type { ReportRun } from './types';

type Config = Record<string, unknown>;
const config = (training: Config, layers: Config[] = [{ id: 'C1', type: 'conv', kernel: [5, 5] }]): Config => ({ dataset: { source: 'mnist' }, model: { layers }, training });

const run = (id: string, accuracy: number, c: Config): ReportRun => ({
  name: id,
  history: { epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: 0.85, learningRate: 0.001, seconds: 1, samplesPerSecond: 100 }] },
  run: { pipeline: 'p', run: id, model: 'M', backend: 'wasm', threads: 1, seed: 1, paramCount: 1234, status: 'ok', epochsRun: 1, seconds: 2, layers: [], config: c as NonNullable<ReportRun['run']>['config'] },
  metrics: { accuracy, loss: 0.3, parity: { ok: true } } as ReportRun['metrics'],
});

/** A side planning `runs`, those with an accuracy cached. */
const side = (runs: [id: string, accuracy: number | null, config: Config][]): DiffSide => ({
  planned: runs.map(([id, , c]) => ({ id, config: c })),
  runs: runs.flatMap(([id, accuracy, c]) => (accuracy === null ? [] : [run(id, accuracy, c)])),
});

const sides = { old: 'HEAD', new: 'working tree' };

test('settings that changed, run by run, with layers named by their id; every metric with its change', () => {
  const before = side([['m0', 0.9, config({ l2: 0.0001, epochs: 10 })], ['m1', 0.95, config({ l2: 0.0001 })], ['gone', 0.5, config({})]]);
  const after = side([['m0', 0.915, config({ l2: 0.001, epochs: 10 }, [{ id: 'C1', type: 'conv', kernel: [3, 3] }])], ['m1', 0.95, config({ l2: 0.0001 })], ['new', 0.6, config({})]]);
  const diff = diffResults(before, after, sides);
  assert.deepEqual(diff.params, [
    { run: 'm0', param: 'model.layers.C1.kernel', old: [5, 5], new: [3, 3] },
    { run: 'm0', param: 'training.l2', old: 0.0001, new: 0.001 },
  ]);
  assert.deepEqual(diff.metrics.filter((m) => m.metric === 'test accuracy').map((m) => [m.run, m.old, m.new, m.change?.toFixed(3)]), [['m0', 0.9, 0.915, '0.015'], ['m1', 0.95, 0.95, '0.000']]);
  assert.deepEqual([diff.added, diff.removed, diff.uncached], [['new'], ['gone'], { old: [], new: [] }]);
  const text = formatDiff(diff, 'text');
  assert.match(text, /^m0   training\.l2\s+0\.0001\s+0\.001$/m);
  assert.match(text, /^m0   test accuracy\s+90\.00%\s+91\.50%\s+\+1\.50 pt$/m);
  assert.match(text, /^Only in working tree: new$/m);
  assert.doesNotMatch(text, /not cached/i);
  assert.match(formatDiff(diff, 'md'), /^\| m0 \| test loss \| 0\.3000 \| 0\.3000 \| 0 \|$/m);
  assert.deepEqual(JSON.parse(formatDiff(diff, 'json')).params.length, 2);
});

test('runs not cached on a side: their settings still compared from the plans, their metrics not cached, never "Only in"', () => {
  const before = side([['m0-s0', 0.9, config({ 'learning-rate': 0.001 })], ['m0-s1', null, config({ 'learning-rate': 0.001 })]]);
  const after = side([['m0-s0', null, config({ 'learning-rate': 0.01 })], ['m0-s1', null, config({ 'learning-rate': 0.01 })]]);
  const diff = diffResults(before, after, sides);
  assert.deepEqual(diff.params.map((p) => [p.run, p.param, p.old, p.new]), [['m0-s0', 'training.learning-rate', 0.001, 0.01], ['m0-s1', 'training.learning-rate', 0.001, 0.01]]);
  assert.deepEqual([diff.added, diff.removed], [[], []]);
  assert.deepEqual(diff.uncached, { old: ['m0-s1'], new: ['m0-s0', 'm0-s1'] });
  const accuracy = diff.metrics.filter((m) => m.metric === 'test accuracy');
  assert.deepEqual(accuracy.map((m) => [m.run, m.old, m.new, m.change, m.cached]), [['m0-s0', 0.9, null, null, { old: true, new: false }], ['m0-s1', null, null, null, { old: false, new: false }]]);

  const text = formatDiff(diff, 'text');
  assert.doesNotMatch(text, /Only in|No setting changed/);
  assert.match(text, /^m0-s0  training\.learning-rate\s+0\.001\s+0\.01$/m);
  assert.match(text, /^m0-s1  training\.learning-rate\s+0\.001\s+0\.01$/m);
  assert.match(text, /^m0-s0  test accuracy\s+90\.00%\s+not cached\s+—$/m);
  assert.match(text, /^m0-s1  test loss\s+not cached\s+not cached\s+—$/m);
  assert.match(text, /^Not cached in HEAD: m0-s1$/m);
  assert.match(text, /^Not cached in working tree: m0-s0, m0-s1$/m);
  assert.match(formatDiff(diff, 'md'), /^\| m0-s0 \| test accuracy \| 90\.00% \| not cached \| — \|$/m);
  const json = JSON.parse(formatDiff(diff, 'json'));
  assert.deepEqual(json.uncached, { old: ['m0-s1'], new: ['m0-s0', 'm0-s1'] });
  assert.deepEqual(json.metrics[0], { run: 'm0-s0', metric: 'test accuracy', old: 0.9, new: null, change: null, cached: { old: true, new: false } });
});

test('nothing changed: said in one line', () => {
  const runs = side([['default', 0.9, config({ l2: 0.0001 })]]);
  assert.match(formatDiff(diffResults(runs, runs, sides), 'text'), /^No setting changed between HEAD and working tree\.$/m);
});
