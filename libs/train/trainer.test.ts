import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import type { Weights } from '../artifacts';
import type { ModelSpec } from '../graph';
import { withDefaults, type ResolvedTraining, type Training } from '../pipeline-schema';
import { train, useBackend, type Estimate } from './index';
import { quiet, synthetic } from './testing';

const model: ModelSpec = {
  input: [1, 8, 8],
  layers: [
    { id: 'C1', type: 'conv', filters: 3, kernel: 3, activation: 'tanh' },
    { id: 'S2', type: 'avgpool' },
    { type: 'flatten' },
    { id: 'D', type: 'dense', units: 8, activation: 'relu' },
    { type: 'dropout', rate: 0.2 },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};

const data = { train: synthetic(96, 1), validation: synthetic(30, 2), probe: synthetic(4, 3) };

function run(training: Training) {
  return train({ model, training: withDefaults('Training', training) as ResolvedTraining, classes: 3, ...data, progress: quiet });
}

function diff(a: Weights, b: Weights, name: string): number[] {
  return Array.from(a[name].data, (v, i) => v - b[name].data[i]);
}

before(async () => {
  await useBackend('wasm');
});

test('the same seed gives the same weights, history and probe; another seed does not', async () => {
  const a = await run({ epochs: 2, 'batch-size': 16, seed: 3 });
  const b = await run({ epochs: 2, 'batch-size': 16, seed: 3 });
  const c = await run({ epochs: 2, 'batch-size': 16, seed: 4 });
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.probe, b.probe);
  assert.deepEqual(a.history.map((h) => h.trainLoss), b.history.map((h) => h.trainLoss));
  assert.notDeepEqual(a.weights['C1/kernel'].data, c.weights['C1/kernel'].data);
});

test('training lowers the loss and records one history line per epoch', async () => {
  const r = await run({ epochs: 4, 'batch-size': 16, 'learning-rate': 0.01 });
  assert.equal(r.status, 'ok');
  assert.equal(r.history.length, 4);
  assert.ok(r.history[3].trainLoss < r.history[0].trainLoss, JSON.stringify(r.history.map((h) => h.trainLoss)));
  assert.ok(r.history[3].valAccuracy > 0.8, `validation accuracy ${r.history[3].valAccuracy}`);
  assert.equal(r.probe.logits.length, 4);
  assert.equal(r.probe.logits[0].length, 3);
});

test('l2 adds l2 * w to the gradient of kernels only: one SGD step differs by -lr * l2 * w0', async () => {
  const lr = 0.1;
  const l2 = 0.5;
  const one = { epochs: 1, 'batch-size': 96, optimizer: 'sgd', 'learning-rate': lr, seed: 5 } as const;
  const start = (await run({ ...one, 'learning-rate': 1e-30 })).weights; // w0, to float precision
  const plain = (await run(one)).weights;
  const decayed = (await run({ ...one, l2 })).weights;
  const delta = diff(decayed, plain, 'D/kernel');
  delta.forEach((d, i) => assert.ok(Math.abs(d - -lr * l2 * start['D/kernel'].data[i]) < 1e-5, `D/kernel[${i}]: ${d}`));
  assert.ok(diff(decayed, plain, 'D/bias').every((d) => Math.abs(d) < 1e-6), 'biases are not penalised');
});

test('adamw decays kernels by lr * weight-decay * w outside the gradient', async () => {
  const lr = 0.01;
  const wd = 0.5;
  const one = { epochs: 1, 'batch-size': 96, 'learning-rate': lr, seed: 6 } as const;
  const start = (await run({ ...one, 'learning-rate': 1e-30 })).weights;
  const adam = (await run({ ...one, optimizer: 'adam' })).weights;
  const adamw = (await run({ ...one, optimizer: 'adamw', 'weight-decay': wd })).weights;
  diff(adamw, adam, 'C1/kernel').forEach((d, i) => assert.ok(Math.abs(d - -lr * wd * start['C1/kernel'].data[i]) < 1e-5, `C1/kernel[${i}]: ${d}`));
  assert.ok(diff(adamw, adam, 'C1/bias').every((d) => Math.abs(d) < 1e-6));
});

test('sgd with momentum and adam all learn', async () => {
  for (const t of [{ optimizer: 'sgd', momentum: 0.9, 'learning-rate': 0.05 }, { optimizer: 'adam', 'learning-rate': 0.01 }] as const) {
    const r = await run({ ...t, epochs: 4, 'batch-size': 16 });
    assert.ok(r.history[3].trainLoss < r.history[0].trainLoss, `${t.optimizer}: ${r.history.map((h) => h.trainLoss)}`);
  }
});

test('a loss that becomes infinite or NaN stops training and is recorded as diverged', async () => {
  const r = await run({ optimizer: 'sgd', 'learning-rate': 1e12, epochs: 3, 'batch-size': 16 });
  assert.equal(r.status, 'diverged');
  assert.match(r.reason ?? '', /^loss became (NaN|Infinity|-Infinity) at epoch 1, batch \d+; the initial weights kept$/);
  assert.equal(r.history.length, 0);
  assert.equal(r.restoredEpoch, 0);
  // Finite weights and logits, so the run can still be exported, evaluated and reported.
  for (const [name, w] of Object.entries(r.weights)) assert.ok(w.data.every(Number.isFinite), `${name} has non-finite values`);
  assert.ok(r.probe.logits.flat().every(Number.isFinite));
});

test('a schedule sets the rate of each epoch: with the rate dropped to ~0 after epoch 1, epoch 2 changes nothing', async () => {
  for (const optimizer of ['sgd', 'adam'] as const) {
    const t = { optimizer, 'learning-rate': 0.01, 'batch-size': 32, seed: 8 } as const;
    const once = await run({ ...t, epochs: 1 });
    const dropped = await run({ ...t, epochs: 2, schedule: { type: 'step', every: 1, factor: 1e-12 } });
    const constant = await run({ ...t, epochs: 2 });
    assert.deepEqual(dropped.history.map((h) => h.learningRate), [0.01, 0.01 * 1e-12]);
    const moved = (w: Weights) => Math.max(...diff(w, once.weights, 'D/kernel').map(Math.abs));
    assert.ok(moved(dropped.weights) < 1e-6, `${optimizer}: epoch 2 at ~0 moved weights by ${moved(dropped.weights)}`);
    assert.ok(moved(constant.weights) > 1e-3, `${optimizer}: epoch 2 at 0.01 moved weights by only ${moved(constant.weights)}`);
  }
});

test('early stopping stops, says why and when, and keeps the best epoch\'s weights and probe', async () => {
  const t = { 'learning-rate': 0.01, 'batch-size': 32, seed: 9 } as const;
  // No later epoch can beat epoch 1 by a whole unit of loss: it stops after `patience` more epochs.
  const stopped = await run({ ...t, epochs: 6, 'early-stopping': { patience: 2, 'min-delta': 1 } });
  assert.equal(stopped.status, 'early-stopped');
  assert.equal(stopped.history.length, 3);
  assert.equal(stopped.restoredEpoch, 1);
  assert.match(stopped.reason ?? '', /^early stopping at epoch 3: val-loss did not improve by more than 1 for 2 epochs \(best \d\.\d{4} at epoch 1\); weights of epoch 1 restored$/);
  const one = await run({ ...t, epochs: 1 });
  assert.deepEqual(stopped.weights, one.weights);
  assert.deepEqual(stopped.probe, one.probe);

  const kept = await run({ ...t, epochs: 6, 'early-stopping': { patience: 2, 'min-delta': 1, 'restore-best': false } });
  assert.equal(kept.restoredEpoch, undefined);
  assert.notDeepEqual(kept.weights, one.weights);

  const patient = await run({ ...t, epochs: 3, 'early-stopping': { patience: 5 } });
  assert.equal(patient.status, 'ok');
  assert.equal(patient.history.length, 3);
});

test('weights broken by an epoch\'s last update show in the validation loss: diverged, the previous epoch kept', async () => {
  // One batch per epoch: the batch loss is taken before the update that breaks the weights.
  const r = await run({ optimizer: 'sgd', 'learning-rate': 1e20, epochs: 3, 'batch-size': 96 });
  assert.equal(r.status, 'diverged');
  assert.match(r.reason ?? '', /^validation loss became (NaN|Infinity) after epoch 1; the initial weights kept$/);
  assert.ok(r.probe.logits.flat().every(Number.isFinite));
});

test('patience running out on the last epoch is not an early stop', async () => {
  const r = await run({ 'learning-rate': 0.01, 'batch-size': 32, seed: 9, epochs: 3, 'early-stopping': { patience: 2, 'min-delta': 1 } });
  assert.equal(r.status, 'ok');
  assert.equal(r.history.length, 3);
  assert.equal(r.restoredEpoch, 1, 'the best epoch is still the one kept');
});

test('a few steps on wasm and on cpu from the same seed give the same weights within 1e-4', async () => {
  const t = { epochs: 1, 'batch-size': 32, 'learning-rate': 0.01, seed: 7 };
  const wasm = (await run(t)).weights;
  await useBackend('cpu');
  try {
    const cpu = (await run(t)).weights;
    for (const name of Object.keys(cpu)) {
      const worst = Math.max(...diff(wasm, cpu, name).map(Math.abs));
      assert.ok(worst < 1e-4, `${name}: max |wasm - cpu| = ${worst}`);
    }
  } finally {
    await useBackend('wasm');
  }
});

test('a training long enough gets one estimate of its duration, from steps measured after the first few; a short one none', async () => {
  const estimates: Estimate[] = [];
  const t = withDefaults('Training', { epochs: 8, 'batch-size': 16 }) as ResolvedTraining;
  // These trainings take well under the 2 s that a real one leaves out first.
  await train({ model, training: t, classes: 3, ...data, progress: quiet, onEstimate: (e) => estimates.push(e), estimateAfterSeconds: 0 });
  assert.equal(estimates.length, 1);
  const [e] = estimates;
  assert.ok(e.measured >= 1 && e.measured <= 30, `measured ${e.measured}`);
  assert.ok(e.after >= 0 && e.after < 5, `after ${e.after} s`);
  assert.ok(e.samplesPerSecond > 0 && Number.isFinite(e.samplesPerSecond));
  assert.ok(Math.abs(e.seconds - (96 * 8) / e.samplesPerSecond) < 1e-9, 'every epoch of every sample at the measured speed');
  const short = withDefaults('Training', { epochs: 2, 'batch-size': 16 }) as ResolvedTraining;
  await train({ model, training: short, classes: 3, ...data, progress: quiet, onEstimate: (x) => estimates.push(x), estimateAfterSeconds: 0 });
  assert.equal(estimates.length, 1, 'twelve steps are over before an estimate could help');
});

test('the estimate leaves out the first seconds of a training: none when the training ends before them', async () => {
  const estimates: Estimate[] = [];
  const t = withDefaults('Training', { epochs: 8, 'batch-size': 16 }) as ResolvedTraining;
  await train({ model, training: t, classes: 3, ...data, progress: quiet, onEstimate: (e) => estimates.push(e), estimateAfterSeconds: 60 });
  assert.equal(estimates.length, 0);
});
