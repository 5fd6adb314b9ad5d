/** `training.augment` in training: deterministic whatever the threads, and applied to training batches only. */
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import type { ModelSpec } from '../graph';
import { withDefaults, type Augment, type ResolvedTraining, type Training } from '../pipeline-schema';
import { train, useBackend } from './index';
import { quiet, synthetic } from './testing';

const model: ModelSpec = {
  input: [1, 8, 8],
  layers: [
    { id: 'C1', type: 'conv', filters: 3, kernel: 3, activation: 'tanh' },
    { id: 'S2', type: 'avgpool' },
    { type: 'flatten' },
    { id: 'D', type: 'dense', units: 8, activation: 'relu' },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};

const every: Augment = { flip: 'horizontal', rotate: 15, shift: 1, noise: 0.3 };

// 100 images in batches of 32: slices of 16 and a last batch of 4, split 2 + 2 on two threads.
const data = { train: synthetic(100, 1), validation: synthetic(30, 2), probe: synthetic(4, 3) };

function run(threads: number, training: Training) {
  const t = withDefaults('Training', { epochs: 2, 'batch-size': 32, seed: 5, ...training }) as ResolvedTraining;
  return train({ model, training: t, classes: 3, ...data, progress: quiet, threads });
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

before(async () => {
  await useBackend('wasm');
});

test('augment: the same config and seed give the same weights bit for bit, on one thread and on two; another seed does not', async () => {
  for (const threads of [1, 2]) {
    const a = await run(threads, { augment: every });
    const b = await run(threads, { augment: every });
    assert.equal(a.threads, threads);
    assert.deepEqual(a.weights, b.weights, `${threads} thread(s)`);
    assert.deepEqual(a.probe, b.probe);
    assert.deepEqual(a.history.map((h) => h.trainLoss), b.history.map((h) => h.trainLoss));
    const c = await run(threads, { augment: every, seed: 6 });
    assert.notDeepEqual(a.weights['C1/kernel'].data, c.weights['C1/kernel'].data);
  }
});

test('augment: one thread and two train the same model up to float rounding, so the draws do not follow the split', async () => {
  const one = await run(1, { augment: every });
  const two = await run(2, { augment: every });
  const plain = await run(1, {});
  for (const name of Object.keys(one.weights)) {
    const d = maxDiff(one.weights[name].data, two.weights[name].data);
    assert.ok(d < 1e-4, `${name}: ${d}`);
  }
  assert.ok(maxDiff(one.weights['C1/kernel'].data, plain.weights['C1/kernel'].data) > 1e-3, 'augmentation changed what was learned');
});

test('augment: each epoch draws new batches, validation and the split stay untouched (learning rate ~0: the weights stay put)', async () => {
  const frozen = { optimizer: 'sgd', 'learning-rate': 1e-30, epochs: 3 } as const;
  const before = Float32Array.from(data.train.images);
  const augmented = await run(1, { ...frozen, augment: every });
  const plain = await run(1, frozen);
  assert.deepEqual(data.train.images, before, 'the training split is as the data stage wrote it');
  const loss = (r: typeof plain) => r.history.map((h) => h.trainLoss);
  // Without augmentation each epoch sees the same images (in another order): the same mean loss.
  assert.ok(Math.abs(loss(plain)[0] - loss(plain)[1]) < 1e-5, `plain: ${loss(plain)}`);
  assert.ok(Math.abs(loss(augmented)[0] - loss(augmented)[1]) > 1e-3 && Math.abs(loss(augmented)[1] - loss(augmented)[2]) > 1e-3, `augmented: ${loss(augmented)}`);
  augmented.history.forEach((h, i) => assert.ok(Math.abs(h.valLoss - plain.history[i].valLoss) < 1e-6, `epoch ${i + 1}: validation ${h.valLoss} vs ${plain.history[i].valLoss}`));
  assert.ok(maxDiff(Float32Array.from(augmented.probe.logits.flat()), Float32Array.from(plain.probe.logits.flat())) < 1e-6, 'the probe is not augmented');
});

test('augment: flip, rotate or shift on a vector input is refused before training starts', async () => {
  const vector: ModelSpec = { input: [64], layers: [{ id: 'OUT', type: 'dense', units: 3 }] };
  const t = withDefaults('Training', { augment: { shift: 1 } }) as ResolvedTraining;
  await assert.rejects(train({ model: vector, training: t, classes: 3, ...data, progress: quiet }), {
    message: 'training -> augment: flip, rotate and shift need an image input [C, H, W] (model -> input is [64])',
  });
});
