import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { SCALED_TANH } from '../../graph';
import { scaledTanh } from './scaled-tanh';
import { randomValues, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

test('on wasm, scaledTanh runs as one kernel forward and one backward', async () => {
  await useBackend('wasm');
  const x = tf.tensor([0.5, -2, 3, 0.1, 7]);
  const profile = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(scaledTanh(v, SCALED_TANH.S, SCALED_TANH.A)))(x));
  const names = profile.kernels.map((k) => k.name);
  assert.deepEqual(names.filter((n) => /tanh/i.test(n)), ['TrainyardScaledTanh', 'TrainyardScaledTanhGrad']);
  x.dispose();
});

/** y = a·tanh(s·x) and dL/dx for L = sum(y · w), on one backend. */
async function valueAndGrad(backend: 'cpu' | 'wasm', x: Float32Array, w: Float32Array, shape: number[], s: number, a: number) {
  await useBackend(backend);
  return tf.tidy(() => {
    const weights = tf.tensor(w, shape);
    const y = scaledTanh(tf.tensor(x, shape), s, a);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(scaledTanh(v, s, a), weights)))(tf.tensor(x, shape));
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, shape: y.shape };
  });
}

function worst(a: Float32Array, b: Float32Array): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

// [64, 28, 28, 6] is LeNet-5's C1; [1, 3] and [7] leave a remainder after the four-lane loop.
for (const shape of [[64, 28, 28, 6], [1, 3], [7], [0, 4]]) {
  for (const [s, a] of [[1, 1], [SCALED_TANH.S, SCALED_TANH.A]]) {
    test(`scaledTanh s=${s.toFixed(3)} a=${a} x=[${shape}]: wasm matches cpu forward and backward within 1e-6`, async () => {
      const rand = seededRandom(sizeOf(shape) + 1);
      // Mostly |x| < 3, with huge, tiny and zero inputs mixed in.
      const x = randomValues(sizeOf(shape), rand).map((v, i) => (i % 97 === 0 ? v * 60 : i % 89 === 0 ? v * 1e-4 : i % 83 === 0 ? 0 : v * 3));
      const w = randomValues(sizeOf(shape), rand);
      const cpu = await valueAndGrad('cpu', x, w, shape, s, a);
      const wasm = await valueAndGrad('wasm', x, w, shape, s, a);
      assert.deepEqual(wasm.shape, shape);
      assert.ok(worst(wasm.y, cpu.y) < 1e-6, `forward: max |wasm - cpu| = ${worst(wasm.y, cpu.y)}`);
      assert.ok(worst(wasm.dx, cpu.dx) < 1e-6, `backward: max |wasm - cpu| = ${worst(wasm.dx, cpu.dx)}`);
      assert.ok(wasm.y.every((v) => Math.abs(v) <= a), 'bounded by the amplitude');
      assert.ok(wasm.y.every((v, i) => Math.sign(v) === Math.sign(x[i])), 'odd: the sign of x');
    });
  }
}

/** a·tanh(s·(x + bias)) and the gradients of sum(y · w) for x and the bias, with the bias fused or as an Add first. */
function biased(x: tf.Tensor, bias: tf.Variable, w: tf.Tensor, fuse: boolean): Float32Array[] {
  return tf.tidy(() => {
    const xv = tf.variable(x);
    const f = () => scaledTanh(fuse ? xv : tf.add(xv, bias), SCALED_TANH.S, SCALED_TANH.A, fuse ? bias : undefined);
    const y = f().dataSync() as Float32Array;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), w)) as tf.Scalar, [xv, bias]);
    const out = [y, grads[xv.name].dataSync() as Float32Array, grads[bias.name].dataSync() as Float32Array];
    xv.dispose();
    return out;
  });
}

// C1's output (six channels: the pattern wraps inside a vector), F6's, and a tail of 15 after the sixteens.
for (const shape of [[64, 28, 28, 6], [64, 84], [1, 31, 1]]) {
  test(`scaledTanh with a bias x=[${shape}]: on wasm one kernel each way, the bits of an Add before it forward and in both gradients; cpu composes`, async () => {
    const rand = seededRandom(sizeOf(shape) + 3);
    const channels = shape.at(-1)!;
    for (const backend of ['wasm', 'cpu'] as const) {
      await useBackend(backend);
      const x = tf.tensor(randomValues(sizeOf(shape), rand), shape);
      const w = tf.tensor(randomValues(sizeOf(shape), rand), shape);
      const bias = tf.variable(tf.tensor(randomValues(channels, rand), [channels]));
      const [fused, apart] = [biased(x, bias, w, true), biased(x, bias, w, false)];
      fused.forEach((values, i) => assert.deepEqual(values, apart[i], `${backend}: ${['y', 'dx', 'dbias'][i]}`));
      if (backend === 'wasm') {
        const profile = await tf.profile(() => tf.tidy(() => scaledTanh(x, 1, 1, bias)));
        assert.deepEqual(profile.kernels.map((k) => k.name), ['TrainyardScaledTanh']);
      }
      tf.dispose([x, w, bias]);
    }
  });
}
