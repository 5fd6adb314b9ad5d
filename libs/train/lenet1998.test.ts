import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { LECUN_1998_C3, type ModelSpec } from '../graph';
import { withDefaults, type ResolvedTraining, type Training } from '../pipeline-schema';
import { train, useBackend } from './index';
import { quiet, synthetic } from './testing';

/** LeNet-5's 1998 layers in miniature: batchnorm, a trainable subsampling, C3's partial table, scaled tanh. */
const model: ModelSpec = {
  input: [1, 8, 8],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 3, bias: false }, // [6, 6, 6]
    { id: 'BN1', type: 'batchnorm' },
    { type: 'activation', activation: 'scaled-tanh' },
    { id: 'S2', type: 'subsample', activation: 'scaled-tanh' }, // [6, 3, 3]
    { id: 'C3', type: 'conv', filters: 16, kernel: 2, connections: 'lecun1998', activation: 'scaled-tanh' }, // [16, 2, 2]
    { type: 'flatten' },
    { id: 'F6', type: 'dense', units: 8 },
    { id: 'BN2', type: 'batchnorm' },
    { type: 'activation', activation: 'scaled-tanh' },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};

function run(training: Training) {
  return train({
    model,
    training: withDefaults('Training', training) as ResolvedTraining,
    classes: 3,
    train: synthetic(96, 1),
    validation: synthetic(30, 2),
    probe: synthetic(4, 3),
    progress: quiet,
  });
}

before(async () => {
  await useBackend('wasm');
});

test('the trainer trains LeNet-5 1998 layers with batchnorm: loss falls, C3 keeps its table, weights carry the moving stats', async () => {
  const r = await run({ epochs: 4, 'batch-size': 16, 'learning-rate': 0.01 });
  assert.equal(r.status, 'ok');
  assert.ok(r.history[3].trainLoss < r.history[0].trainLoss, JSON.stringify(r.history.map((h) => h.trainLoss)));
  assert.equal(r.summary.paramCount, 54 + 12 + 12 + (LECUN_1998_C3.flat().length * 4 + 16) + (64 * 8 + 8) + 16 + (8 * 3 + 3));
  const c3 = r.weights['C3/kernel'].data; // [2, 2, 6, 16]
  for (let p = 0; p < 4; p++)
    for (let i = 0; i < 6; i++)
      for (let o = 0; o < 16; o++) if (!LECUN_1998_C3[o].includes(i)) assert.equal(c3[(p * 6 + i) * 16 + o], 0);
  for (const name of ['BN1/moving_mean', 'BN1/moving_variance', 'BN2/moving_mean', 'BN2/moving_variance']) assert.ok(name in r.weights, name);
  assert.ok(r.probe.logits.flat().every(Number.isFinite));
});

// Passes once the training step applies the state the forward records (model.applyStateUpdates() after each step).
test('after training, the moving stats have left their start (mean 0, variance 1)', async () => {
  const r = await run({ epochs: 1, 'batch-size': 32 });
  assert.ok(r.weights['BN1/moving_mean'].data.some((v) => v !== 0), 'BN1/moving_mean');
  assert.ok(r.weights['BN2/moving_variance'].data.some((v) => v !== 1), 'BN2/moving_variance');
});
