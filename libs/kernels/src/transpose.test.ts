import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { collapse } from './transpose';
import { callsOf, assertNoLeaks, randomValues, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

test('collapse drops axes of size 1 and merges axes that stay neighbours', () => {
  assert.deepEqual(collapse([2, 3, 4], [2, 0, 1]), { shape: [6, 4], perm: [1, 0] });
  assert.deepEqual(collapse([64, 1024], [1, 0]), { shape: [64, 1024], perm: [1, 0] });
  assert.deepEqual(collapse([1, 5, 7], [0, 2, 1]), { shape: [5, 7], perm: [1, 0] });
  assert.deepEqual(collapse([3, 5, 7], [0, 2, 1]), { shape: [3, 5, 7], perm: [0, 2, 1] });
  assert.deepEqual(collapse([2, 3, 4, 5], [0, 2, 1, 3]), { shape: [2, 3, 4, 5], perm: [0, 2, 1, 3] });
  assert.deepEqual(collapse([2, 3], [0, 1]), { shape: [6], perm: [0] });
});

// ours: a matrix or a batch of them once collapsed, float32 or int32; every other permutation goes to the built-in.
const cases: { shape: number[]; perm: number[]; dtype?: 'int32'; ours: boolean }[] = [
  { shape: [64, 1024], perm: [1, 0], ours: true }, // a batch of 64 images as rows
  { shape: [7, 5], perm: [1, 0], ours: true }, // the last rows and columns, one at a time
  { shape: [3, 2], perm: [1, 0], ours: true }, // fewer than four of each
  { shape: [3, 6, 9], perm: [0, 2, 1], ours: true }, // a batch of matrices
  { shape: [2, 3, 4], perm: [2, 0, 1], ours: true }, // [6, 4] swapped
  { shape: [1, 9, 1, 6], perm: [0, 3, 2, 1], ours: true }, // axes of size 1 dropped
  { shape: [9, 6], perm: [1, 0], dtype: 'int32', ours: true },
  { shape: [2, 3, 4, 5], perm: [0, 2, 1, 3], ours: false }, // rows of five move whole
  { shape: [2, 3, 4], perm: [1, 2, 0], ours: true }, // [2, 12] swapped
  { shape: [2, 3, 4], perm: [2, 1, 0], ours: false },
];

for (const { shape, perm, dtype, ours } of cases) {
  test(`Transpose [${shape}] by [${perm}]${dtype ? ` ${dtype}` : ''} matches cpu (${ours ? 'one SIMD pass' : 'the built-in'})`, async () => {
    const rand = seededRandom(sizeOf(shape));
    const values = randomValues(sizeOf(shape), rand).map((v) => (dtype ? Math.round(1000 * v) : v));
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      return tf.tidy(() => {
        const y = tf.transpose(tf.tensor(values, shape, dtype ?? 'float32'), perm);
        return { values: Array.from(y.dataSync()), shape: y.shape, dtype: y.dtype };
      });
    };
    const cpu = await run('cpu');
    const calls = await callsOf('transpose2d', async () => assert.deepEqual(await run('wasm'), cpu));
    assert.equal(calls, ours ? 1 : 0);
  });
}

test('Transpose on wasm leaves nothing behind', async () => {
  await useBackend('wasm');
  const x = tf.tensor(randomValues(12 * 8, seededRandom(1)), [12, 8]);
  assertNoLeaks(() => tf.transpose(x).dispose());
  x.dispose();
});
