import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { addInPlace, readData } from './in-place';
import { randomValues, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

// Whole SIMD vectors, a partial one at the end, and a single float.
for (const size of [16, 7, 1]) {
  test(`${size} floats on wasm: addInPlace gives tf.add's bits in the tensor's own data`, async () => {
    await useBackend('wasm');
    const rand = seededRandom(size);
    const [a, b] = [randomValues(size, rand), randomValues(size, rand)];
    const expected = tf.tidy(() => tf.add(tf.tensor1d(a), tf.tensor1d(b)).dataSync());
    const t = tf.tensor1d(a);
    const dataId = t.dataId;
    assert.equal(addInPlace(t, b), true);
    assert.equal(t.dataId, dataId);
    assert.deepEqual(t.dataSync(), expected);
    assert.deepEqual(readData(t), expected);
    t.dispose();
  });
}

test('data another tensor shares (a reshape, a clone) is not added to: both keep their values', async () => {
  await useBackend('wasm');
  const t = tf.tensor1d([1, 2, 3, 4]);
  for (const other of [tf.reshape(t, [2, 2]), tf.clone(t)]) {
    assert.equal(addInPlace(t, new Float32Array([1, 1, 1, 1])), false);
    assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(other.dataSync()), [1, 2, 3, 4]);
    other.dispose();
  }
  // Once the other is gone the data is the tensor's own again.
  assert.equal(addInPlace(t, new Float32Array([1, 1, 1, 1])), true);
  assert.deepEqual(Array.from(t.dataSync()), [2, 3, 4, 5]);
  t.dispose();
});

test('on cpu nothing is written in place: the caller takes the functional way', async () => {
  await useBackend('cpu');
  const t = tf.tensor1d([1, 2]);
  assert.equal(addInPlace(t, new Float32Array([3, 4])), false);
  assert.deepEqual(Array.from(t.dataSync()), [1, 2]);
  assert.deepEqual(Array.from(readData(t)), [1, 2]);
  t.dispose();
});
