import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { adamStep, type AdamAttrs } from './adam';
import { randomValues, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

/** What an optimizer holds for a step: AdamAttrs but d1 and d2, which follow from the step count. */
interface Constants {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  l2: number;
  keep: number;
}

const CASES: [string, Constants][] = [
  ['Adam', { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0, keep: 1 }],
  ['Adam with an L2 term', { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0.05, keep: 1 }],
  ['AdamW', { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, l2: 0, keep: 1 - 0.01 * 0.1 }],
];

/** w, m and v after each of five steps from the same seeded weights and gradients, on one backend; the learning rate falls tenfold after the third. */
async function steps(backend: 'cpu' | 'wasm', constants: Constants, size: number): Promise<Float32Array[][]> {
  await useBackend(backend);
  const rand = seededRandom(size + 1);
  let [w, m, v]: tf.Tensor[] = [tf.tensor1d(randomValues(size, rand)), tf.zeros([size]), tf.zeros([size])];
  // beta^t as a float32, multiplied by beta after each step, as tf.train.adam keeps it.
  let [beta1t, beta2t] = [Math.fround(constants.beta1), Math.fround(constants.beta2)];
  const out: Float32Array[][] = [];
  for (let step = 0; step < 5; step++) {
    const g = tf.tensor1d(randomValues(size, rand));
    const lr = step < 3 ? constants.lr : constants.lr / 10;
    const next = adamStep(w, g, m, v, { ...constants, lr, d1: Math.fround(1 - beta1t), d2: Math.fround(1 - beta2t) });
    tf.dispose([w, m, v, g]);
    [w, m, v] = next;
    out.push(next.map((t) => t.dataSync() as Float32Array));
    beta1t = Math.fround(beta1t * Math.fround(constants.beta1));
    beta2t = Math.fround(beta2t * Math.fround(constants.beta2));
  }
  tf.dispose([w, m, v]);
  return out;
}

// 20 floats (whole SIMD vectors), 6 and 7 (a partial vector at the end), and none.
for (const [what, constants] of CASES) {
  for (const size of [20, 6, 7, 0]) {
    test(`${what}, ${size} floats: adamStep on wasm (one SIMD pass) gives cpu's bits for w, m and v`, async () => {
      const expected = await steps('cpu', constants, size);
      const actual = await steps('wasm', constants, size);
      assert.deepEqual(actual, expected);
    });
  }
}

test('on wasm a step is one kernel, with w, m and v out', async () => {
  await useBackend('wasm');
  const [w, g, m, v] = [tf.ones([10]), tf.ones([10]), tf.zeros([10]), tf.zeros([10])];
  const attrs: AdamAttrs = { ...CASES[0][1], d1: 0.1, d2: 0.001 };
  let out: tf.Tensor[] = [];
  const profile = await tf.profile(() => (out = adamStep(w, g, m, v, attrs)));
  assert.deepEqual(profile.kernels.map((k) => k.name), ['TrainyardAdam']);
  assert.deepEqual(out.map((t) => t.shape), [[10], [10], [10]]);
  assert.notDeepEqual(out[0].dataSync(), new Float32Array(10).fill(1));
  tf.dispose([w, g, m, v, ...out]);
});
