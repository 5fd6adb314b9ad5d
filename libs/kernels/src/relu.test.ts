import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { relu } from './relu';
import { assertNoLeaks, randomValues, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

/** relu(x) and dx for dy, through relu (ours where the backend has it) or tf.relu. */
async function valueAndGrad(backend: 'cpu' | 'wasm', x: Float32Array, dy: Float32Array, shape: number[], f: (x: tf.Tensor) => tf.Tensor) {
  await useBackend(backend);
  return tf.tidy(() => {
    const y = f(tf.tensor(x, shape)).dataSync() as Float32Array;
    const dx = tf.grad(f)(tf.tensor(x, shape), tf.tensor(dy, shape)).dataSync() as Float32Array;
    return { y, dx };
  });
}

// fashion-small-convnet's first ReLU ([128, 28, 28, 16] there); [7] and [2, 3] end in a partial vector.
for (const shape of [[4, 28, 28, 16], [7], [2, 3], [0, 4]]) {
  test(`relu x=[${shape}]: on wasm, tf.relu's values and gradient bit for bit, with zeros, -0, NaN and negative dy`, async () => {
    const rand = seededRandom(sizeOf(shape) + 5);
    const x = randomValues(sizeOf(shape), rand).map((v, i) => (i % 11 === 0 ? 0 : i % 13 === 0 ? -0 : i % 29 === 0 ? NaN : v));
    // dy[0] negative where x[0] is 0: its gradient is -0.
    const dy = randomValues(sizeOf(shape), rand).map((v, i) => (i === 0 ? -0.5 : i % 31 === 0 ? NaN : i % 37 === 0 ? -0 : v));
    const theirs = await valueAndGrad('wasm', x, dy, shape, tf.relu);
    const ours = await valueAndGrad('wasm', x, dy, shape, relu);
    const onCpu = await valueAndGrad('cpu', x, dy, shape, relu);
    // Same bits: Object.is tells -0 from 0 and takes NaN as itself.
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    assert.ok(same(ours.y, theirs.y), 'forward');
    assert.ok(same(ours.dx, theirs.dx), 'gradient');
    assert.ok(same(onCpu.dx, theirs.dx), 'cpu, where tf.relu runs');
    if (x.length > 0) assert.ok(ours.dx.some((v) => Object.is(v, -0)), 'dy * 0 keeps the sign of a negative dy');
  });
}

test('on wasm, relu runs as one kernel forward and one backward, and leaks nothing', async () => {
  await useBackend('wasm');
  const x = tf.tensor([0.5, -2, 3, 0, 7]);
  const dy = tf.tensor([1, -1, 1, -1, 1]);
  const profile = await tf.profile(() => tf.grad(relu)(x, dy));
  assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'Identity'), ['TrainyardRelu', 'TrainyardReluGrad']);
  assertNoLeaks(() => tf.grad(relu)(x, dy).dispose());
  tf.dispose([x, dy]);
});
