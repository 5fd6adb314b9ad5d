import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { offset, type MemoryBackend } from './simd';
import { randomValues, runKernelOn, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

test('Identity on wasm matches cpu', async () => {
  const inputs = { x: { values: randomValues(2 * 5 * 3, seededRandom(5)), shape: [2, 5, 3] } };
  const cpu = await runKernelOn('cpu', 'Identity', inputs, {});
  const wasm = await runKernelOn('wasm', 'Identity', inputs, {});
  assert.deepEqual(wasm, cpu);
});

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
