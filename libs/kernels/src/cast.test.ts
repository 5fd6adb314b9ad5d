import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { offset, type MemoryBackend } from './simd';
import { randomValues, runKernelOn, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

// Not to bool: tfjs-backend-wasm 4.22.0's built-in Cast (which that goes to) truncates there instead of testing against zero.
for (const dtype of ['float32', 'int32'] as const) {
  test(`Cast float32 to ${dtype} on wasm matches cpu`, async () => {
    // Halves and zeros too, where truncation decides.
    const values = randomValues(4 * 7, seededRandom(7)).map((v, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? Math.round(v * 4) / 2 : v * 4));
    const inputs = { x: { values, shape: [4, 7] } };
    const cpu = await runKernelOn('cpu', 'Cast', inputs, { dtype });
    const wasm = await runKernelOn('wasm', 'Cast', inputs, { dtype });
    assert.deepEqual(wasm, cpu);
  });
}

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
