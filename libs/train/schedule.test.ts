import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { EpochRecord } from '../artifacts';
import { withDefaults, type ResolvedTraining, type Training } from '../pipeline-schema';
import { earlyStopping } from './src/trainer';
import { learningRateAt } from './src/schedule';

const training = (t: Training) => withDefaults('Training', t) as ResolvedTraining;
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('constant is the default schedule', () => {
  const t = training({ 'learning-rate': 0.01, epochs: 3 });
  assert.deepEqual(t.schedule, { type: 'constant' });
  assert.deepEqual([1, 2, 3].map((e) => learningRateAt(t, e)), [0.01, 0.01, 0.01]);
});

test('step: times factor every `every` epochs, factor 0.1 by default', () => {
  const t = training({ 'learning-rate': 0.1, epochs: 7, schedule: { type: 'step', every: 3 } });
  const rates = [1, 2, 3, 4, 5, 6, 7].map((e) => learningRateAt(t, e));
  [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001].forEach((want, i) => close(rates[i], want));
  const half = training({ 'learning-rate': 1, epochs: 3, schedule: { type: 'step', every: 1, factor: 0.5 } });
  assert.deepEqual([1, 2, 3].map((e) => learningRateAt(half, e)), [1, 0.5, 0.25]);
});

test('cosine: from the learning rate at epoch 1 down towards min, halfway at the middle epoch', () => {
  const t = training({ 'learning-rate': 0.1, epochs: 4, schedule: { type: 'cosine', min: 0.02 } });
  const rates = [1, 2, 3, 4].map((e) => learningRateAt(t, e));
  close(rates[0], 0.1);
  close(rates[2], 0.06); // cos(pi/2) = 0: the mean of 0.1 and 0.02
  close(rates[1], 0.02 + 0.08 * (1 + Math.SQRT1_2) / 2);
  assert.ok(rates[3] > 0.02 && rates[3] < rates[2]);
});

test('a schedule setting of another kind is refused by the schema', () => {
  assert.throws(() => training({ schedule: { type: 'step' } as never }), /every/);
  assert.throws(() => training({ schedule: { type: 'cosine', every: 2 } as never }), /every/);
});

const epoch = (n: number, valLoss: number, valAccuracy = 0): EpochRecord =>
  ({ epoch: n, valLoss, valAccuracy, trainLoss: 0, trainAccuracy: 0, learningRate: 0, seconds: 0, samplesPerSecond: 0 });

test('early stopping: stops after `patience` epochs without an improvement larger than min-delta', () => {
  const rule = training({ 'early-stopping': { patience: 2, 'min-delta': 0.01 } })['early-stopping']!;
  assert.deepEqual(rule, { monitor: 'val-loss', patience: 2, 'min-delta': 0.01, 'restore-best': true });
  const watch = earlyStopping(rule);
  assert.deepEqual(watch.observe(epoch(1, 0.5)), { improved: true });
  assert.deepEqual(watch.observe(epoch(2, 0.3)), { improved: true });
  assert.deepEqual(watch.observe(epoch(3, 0.295)), { improved: false }); // less than min-delta better
  const last = watch.observe(epoch(4, 0.31));
  assert.equal(last.improved, false);
  assert.equal(last.stop, 'early stopping at epoch 4: val-loss did not improve by more than 0.01 for 2 epochs (best 0.3000 at epoch 2)');
  assert.equal(watch.bestEpoch, 2);
});

test('early stopping on val-accuracy: higher is better, and NaN never improves', () => {
  const watch = earlyStopping(training({ 'early-stopping': { monitor: 'val-accuracy', patience: 1 } })['early-stopping']!);
  assert.equal(watch.observe(epoch(1, 9, 0.9)).improved, true);
  assert.equal(watch.observe(epoch(2, 0.1, 0.95)).improved, true);
  assert.match(watch.observe(epoch(3, 0.1, NaN)).stop ?? '', /val-accuracy did not improve for 1 epochs \(best 95.00% at epoch 2\)/);
});
