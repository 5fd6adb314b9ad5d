import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { SCALED_TANH } from '../../graph';
import { dense, type DenseActivation } from './dense';
import { relu } from './relu';
import { scaledTanh } from './scaled-tanh';
import { assertNoLeaks, randomValues, relativeError, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

/** The layer as separate ops: the product, then the tanh (with the bias in its pass), or the bias's Add and ReLU or nothing. */
function composed(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, activation: DenseActivation): tf.Tensor {
  const z = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
  if (activation === 'linear') return tf.add(z, bias);
  return activation === 'relu' ? relu(tf.add(z, bias)) : scaledTanh(z, activation.scale, activation.amplitude, bias);
}

/** y, and the gradients of sum(y · r) for x, w and the bias, by one way of computing the layer. */
function layerAndGrads(way: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor, [m, k, n]: number[], seed: number): Float32Array[] {
  const rand = seededRandom(seed);
  return tf.tidy(() => {
    const [x, w, b, r] = [[m, k], [k, n], [n], [m, n]].map((shape) => tf.tensor(randomValues(shape.reduce((p, q) => p * q), rand), shape));
    const y = way(x, w, b);
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(way(a, c, d), r)))([x, w, b]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const ACTIVATIONS: [string, DenseActivation][] = [
  ['tanh', { scale: 1, amplitude: 1 }],
  ['scaled tanh', { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A }],
  ['relu', 'relu'],
  ['linear', 'linear'],
];
// The MLP's first layer; LeNet-5's F6; rows and columns that leave remainders after the product's 3 x 12 tiles.
const SHAPES = [[64, 1024, 60], [32, 120, 84], [7, 13, 6], [3, 3, 4]];

for (const [what, activation] of ACTIVATIONS) {
  for (const shape of SHAPES) {
    test(`dense ${what} [${shape}] on wasm: the fused layer gives the separate ops' bits, forward and backward`, async () => {
      await useBackend('wasm');
      const expected = layerAndGrads((x, w, b) => composed(x, w, b, activation), shape, shape[0]);
      const actual = layerAndGrads((x, w, b) => dense(x, w, b, activation)!, shape, shape[0]);
      ['y', 'dx', 'dw', 'dbias'].forEach((name, i) => assert.deepEqual(actual[i], expected[i], name));
    });
  }
}

for (const [what, activation] of ACTIVATIONS) {
  test(`dense ${what} [32,120,84]: the fused layer on wasm matches the cpu backend's ops within 1e-5, forward and backward`, async () => {
    await useBackend('cpu');
    const expected = layerAndGrads((x, w, b) => composed(x, w, b, activation), [32, 120, 84], 5);
    await useBackend('wasm');
    const actual = layerAndGrads((x, w, b) => dense(x, w, b, activation)!, [32, 120, 84], 5);
    ['y', 'dx', 'dw', 'dbias'].forEach((name, i) => assert.ok(relativeError(actual[i], expected[i]) < 1e-5, `${name}: ${relativeError(actual[i], expected[i])}`));
  });
}

for (const [what, activation] of ACTIVATIONS) {
  test(`on wasm a dense ${what} layer is one kernel forward and one backward, and a product more for x`, async () => {
    await useBackend('wasm');
    const [x, w, b] = [tf.ones([8, 5]), tf.ones([5, 6]), tf.ones([6])];
    const names = async (f: () => unknown) => (await tf.profile(() => f() as tf.Tensor)).kernels.map((k) => k.name).filter((n) => n !== 'Identity');
    assert.deepEqual(await names(() => dense(x, w, b, activation)), ['TrainyardDense']);
    const loss = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(dense(a, c, d, activation)!);
    // x as a constant (a first layer's input): no product for its gradient.
    const weightsOnly = await names(() => tf.grads((c: tf.Tensor, d: tf.Tensor) => loss(x, c, d))([w, b]));
    assert.deepEqual(weightsOnly.filter((n) => n.startsWith('Trainyard') || n === 'BatchMatMul'), ['TrainyardDense', 'TrainyardDenseGrad']);
    const withX = await names(() => tf.grads(loss)([x, w, b]));
    assert.deepEqual(withX.filter((n) => n.startsWith('Trainyard') || n === 'BatchMatMul'), ['TrainyardDense', 'TrainyardDenseGrad', 'BatchMatMul']);
    tf.dispose([x, w, b]);
  });
}

test('dense declines (undefined: the caller composes) where the product cannot take the shapes, and off wasm', async () => {
  await useBackend('wasm');
  const act = { scale: 1, amplitude: 1 };
  for (const [m, k, n] of [[2, 5, 6], [8, 2, 6], [8, 5, 3]]) {
    const [x, w, b] = [tf.ones([m, k]), tf.ones([k, n]), tf.ones([n])];
    assert.equal(dense(x, w, b, act), undefined, `[${m}, ${k}, ${n}]`);
    tf.dispose([x, w, b]);
  }
  await useBackend('cpu');
  const [x, w, b] = [tf.ones([8, 5]), tf.ones([5, 6]), tf.ones([6])];
  assert.equal(dense(x, w, b, 'linear'), undefined);
  tf.dispose([x, w, b]);
});

for (const [what, activation] of ACTIVATIONS) {
  test(`on wasm the fused ${what} layer and its gradients leave no tensor behind, x needed or not, and alone`, async () => {
    await useBackend('wasm');
    const [x, w, b] = [tf.ones([8, 5]), tf.ones([5, 6]), tf.ones([6])];
    const loss = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(dense(a, c, d, activation)!);
    assertNoLeaks(() => tf.dispose(tf.grads(loss)([x, w, b])));
    assertNoLeaks(() => tf.dispose(tf.grads((c: tf.Tensor, d: tf.Tensor) => loss(x, c, d))([w, b])));
    // Outside a tape and a tidy: only the output is left, for the caller to dispose.
    assertNoLeaks(() => dense(x, w, b, activation)!.dispose());
    tf.dispose([x, w, b]);
  });
}
