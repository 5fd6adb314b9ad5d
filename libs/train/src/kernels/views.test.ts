import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { offset, type MemoryBackend } from './simd';
import { setUpBackends, useBackend } from './test-util';

before(setUpBackends);

test('on wasm a clone shares its data (no copy), and outlives the original', async () => {
  await useBackend('wasm');
  const backend = tf.backend() as unknown as MemoryBackend;
  const x = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const y = tf.clone(x);
  assert.equal(offset(backend, y), offset(backend, x));
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(y.shape, [2, 3]);
  y.dispose();
  const strings = tf.clone(tf.tensor(['a', 'b']));
  assert.deepEqual(strings.dataSync(), ['a', 'b']);
});

test('on wasm a cast to the same dtype shares its data; to another it converts', async () => {
  await useBackend('wasm');
  const backend = tf.backend() as unknown as MemoryBackend;
  const x = tf.tensor([1.5, -2.5, 3]);
  const same = tf.cast(x, 'float32');
  assert.equal(offset(backend, same), offset(backend, x));
  const ints = tf.cast(x, 'int32');
  assert.notEqual(offset(backend, ints), offset(backend, x));
  assert.deepEqual([...ints.dataSync()], [1, -2, 3]);
  tf.dispose([x, same, ints]);
});
