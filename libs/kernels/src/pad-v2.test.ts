import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { callsOf, assertNoLeaks, randomValues, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

// ours: an NHWC batch padded with +0 on its two middle axes only; every other padding goes to the built-in.
const cases: { shape: number[]; paddings: [number, number][]; value?: number; ours: boolean }[] = [
  { shape: [5, 28, 28, 1], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], ours: true }, // a 'same' 3x3 conv on grayscale images
  { shape: [3, 7, 7, 32], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], ours: true },
  { shape: [2, 5, 6, 3], paddings: [[0, 0], [0, 2], [3, 0], [0, 0]], ours: true }, // uneven sides, some none
  { shape: [2, 1, 1, 5], paddings: [[0, 0], [2, 2], [2, 2], [0, 0]], ours: true }, // a single pixel
  { shape: [2, 4, 4, 3], paddings: [[0, 0], [0, 0], [0, 0], [0, 0]], ours: true }, // no padding: a copy
  { shape: [2, 4, 4, 3], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], value: 1.5, ours: false },
  { shape: [2, 4, 4, 3], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], value: -0, ours: false },
  { shape: [2, 4, 4, 3], paddings: [[0, 0], [1, 1], [1, 1], [0, 1]], ours: false }, // the channels padded
  { shape: [2, 4, 4, 3], paddings: [[1, 0], [1, 1], [1, 1], [0, 0]], ours: false }, // the batch padded
  { shape: [4, 6], paddings: [[1, 1], [1, 1]], ours: false },
  { shape: [0, 4, 4, 3], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], ours: false }, // empty
];

for (const { shape, paddings, value, ours } of cases) {
  test(`PadV2 [${shape}] by ${JSON.stringify(paddings)}${value !== undefined ? ` with ${Object.is(value, -0) ? '-0' : value}` : ''} matches cpu (${ours ? 'simd.wat' : 'the built-in'})`, async () => {
    // Offset so that a zero in x is told apart from the padding.
    const values = randomValues(sizeOf(shape), seededRandom(sizeOf(shape) + 7)).map((v) => v + 3);
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      return tf.tidy(() => {
        const y = tf.pad(tf.tensor(values, shape), paddings, value ?? 0);
        return { values: Array.from(y.dataSync()), shape: y.shape };
      });
    };
    const cpu = await run('cpu');
    const calls = await callsOf('padImages', async () => {
      const wasm = await run('wasm');
      assert.deepEqual(wasm.shape, cpu.shape);
      // Ours told apart from -0 too (the built-ins differ from cpu in the sign of their zeros).
      const same = ours ? Object.is : (a: number, b: number) => a === b;
      wasm.values.forEach((v, i) => assert.ok(same(v, cpu.values[i]), `value ${i}: ${v} against ${cpu.values[i]}`));
    });
    assert.equal(calls, ours ? 1 : 0);
  });
}

test('PadV2 on wasm overwrites whatever the output memory held, and leaves nothing behind', async () => {
  await useBackend('wasm');
  const x = tf.tensor(randomValues(2 * 3 * 3 * 2, seededRandom(2)), [2, 3, 3, 2]);
  // A freed tensor's memory of non-zeros is what the next allocation of its size may get.
  tf.fill([2, 5, 5, 2], 9).dispose();
  const y = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const border = tf.tidy(() => tf.sum(tf.abs(tf.sub(y, tf.pad(tf.slice(y, [0, 1, 1, 0], [2, 3, 3, 2]), [[0, 0], [1, 1], [1, 1], [0, 0]])))));
  assert.equal(border.dataSync()[0], 0);
  tf.dispose([y, border]);
  assertNoLeaks(() => tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]).dispose());
  x.dispose();
});
