import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { withDefaults, type ResolvedTraining, type Training } from '../../pipeline-schema';
import { makeOptimizer } from './optimizer';
import { randomValues, seededRandom, setUpBackends, useBackend } from '../../kernels/testing';

before(setUpBackends);

// A kernel whose size is a multiple of 4, a bias of 6 and a kernel of 7 (both end in a partial SIMD vector).
const SHAPES: Record<string, { shape: number[]; kernel: boolean }> = {
  k: { shape: [5, 5, 1, 4], kernel: true },
  b: { shape: [6], kernel: false },
  odd: { shape: [7], kernel: true },
};

/** Weights after five updates from the same seeded gradients, with the learning rate changed after the third. */
async function train(backend: 'cpu' | 'wasm', t: ResolvedTraining, reference: boolean): Promise<Record<string, Float32Array>> {
  await useBackend(backend);
  const rand = seededRandom(3);
  const vars = Object.fromEntries(Object.entries(SHAPES).map(([name, { shape }]) => [name, tf.variable(tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), rand), shape), true, `adam-${name}`)]));
  const kernels = new Set(Object.entries(SHAPES).filter(([, s]) => s.kernel).map(([name]) => vars[name]));
  const ours = reference ? undefined : makeOptimizer(t);
  // What the optimizer did before it had a fused step: tf.train.adam, the L2 term added and AdamW's decay applied first.
  const theirs = reference ? tf.train.adam(t['learning-rate'], t.beta1, t.beta2, t.epsilon) : undefined;
  let lr = t['learning-rate'];
  for (let step = 0; step < 5; step++) {
    if (step === 3) {
      lr /= 10;
      ours?.setLearningRate(lr);
      if (theirs) (theirs as unknown as { learningRate: number }).learningRate = lr;
    }
    const grads: tf.NamedTensorMap = Object.fromEntries(Object.entries(vars).map(([name, v]) => [v.name, tf.tensor(randomValues(v.size, rand), v.shape)]));
    if (ours) ours.update(grads, kernels);
    else {
      for (const k of kernels) if (t.l2 > 0) grads[k.name] = tf.add(grads[k.name], tf.mul(k, t.l2));
      if (t.optimizer === 'adamw') for (const k of kernels) k.assign(tf.mul(k, 1 - lr * t['weight-decay']));
      theirs!.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    }
  }
  const out = Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, v.dataSync() as Float32Array]));
  ours?.dispose();
  theirs?.dispose();
  tf.dispose(Object.values(vars));
  return out;
}

const CASES: [string, Training][] = [
  ['Adam', { optimizer: 'adam', 'learning-rate': 0.01 }],
  ['Adam with L2', { optimizer: 'adam', 'learning-rate': 0.01, l2: 0.05 }],
  ['AdamW', { optimizer: 'adamw', 'learning-rate': 0.01, 'weight-decay': 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }],
];
for (const [what, options] of CASES) {
  test(`${what}: the fused step gives tf.train.adam's bits, on cpu and on wasm (one SIMD pass)`, async () => {
    const t = withDefaults('Training', options) as ResolvedTraining;
    const expected = await train('cpu', t, true);
    for (const backend of ['cpu', 'wasm'] as const) {
      const actual = await train(backend, t, false);
      for (const name of Object.keys(SHAPES)) assert.deepEqual(actual[name], expected[name], `${backend} ${name}`);
    }
  });
}

test('on wasm an Adam update is one kernel per tensor', async () => {
  await useBackend('wasm');
  const t = withDefaults('Training', { optimizer: 'adam', l2: 0.01 }) as ResolvedTraining;
  const w = tf.variable(tf.ones([10]), true, 'adam-one');
  const optimizer = makeOptimizer(t);
  optimizer.update({ [w.name]: tf.ones([10]) }, new Set([w])); // the first creates the moments
  const profile = await tf.profile(() => {
    optimizer.update({ [w.name]: tf.ones([10]) }, new Set([w]));
    return [] as unknown as tf.Tensor;
  });
  assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'Identity'), ['TrainyardAdam']);
  assert.notDeepEqual(w.dataSync(), new Float32Array(10).fill(1));
  optimizer.dispose();
  w.dispose();
});

test('on wasm a weight that a built-in kernel reads sees every update (XNNPACK keeps filters packed by tensor)', async () => {
  await useBackend('wasm');
  const t = withDefaults('Training', { optimizer: 'adam', 'learning-rate': 0.1 }) as ResolvedTraining;
  const rand = seededRandom(9);
  const x = tf.tensor4d(randomValues(2 * 5 * 5 * 2, rand), [2, 5, 5, 2]);
  const init = tf.tensor4d(randomValues(3 * 3 * 2 * 3, rand), [3, 3, 2, 3]);
  // Three filters: fewer than our conv takes, so the built-in runs it.
  const w = tf.variable(init, true, 'adam-filter');
  init.dispose();
  const optimizer = makeOptimizer(t);
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => tf.conv2d(x, w, 1, 'valid').dataSync());
    optimizer.update({ [w.name]: tf.tensor4d(randomValues(w.size, rand), w.shape as [number, number, number, number]) }, new Set([w]));
    const seen = tf.tidy(() => tf.conv2d(x, w, 1, 'valid').dataSync());
    const fresh = tf.tidy(() => tf.conv2d(x, tf.tensor4d(w.dataSync(), w.shape as [number, number, number, number]), 1, 'valid').dataSync());
    assert.deepEqual(seen, fresh, `step ${step}`);
  }
  optimizer.dispose();
  tf.dispose([x, w]);
});
