import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { makeAddConfig, makeSumConfig } from './bias';
import { randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf, useBackend } from './test-util';

before(setUpBackends);

// LeNet-5's C1 and C3 biases, a dense layer's, C = 1, a bias of rank 4, and a remainder after the four-float loop.
const adds: { x: number[]; bias: number[] }[] = [
  { x: [64, 28, 28, 6], bias: [6] },
  { x: [64, 10, 10, 16], bias: [16] },
  { x: [64, 120], bias: [120] },
  { x: [3, 5, 1], bias: [1] },
  { x: [2, 3, 3, 5], bias: [1, 1, 1, 5] },
  { x: [7, 3], bias: [3] },
];

for (const { x, bias } of adds) {
  for (const order of ['x + bias', 'bias + x']) {
    test(`Add ${order} x=[${x}] bias=[${bias}] matches cpu`, async () => {
      const rand = seededRandom(sizeOf(x) + bias.length);
      const big = { values: randomValues(sizeOf(x), rand), shape: x };
      const small = { values: randomValues(sizeOf(bias), rand), shape: bias };
      const inputs = order === 'x + bias' ? { a: big, b: small } : { a: small, b: big };
      const cpu = await runKernelOn('cpu', 'Add', inputs, {});
      const wasm = await runKernelOn('wasm', 'Add', inputs, {});
      assert.deepEqual(wasm.shape, cpu.shape);
      assert.ok(relativeError(wasm.values, cpu.values) < 1e-6, `relative error ${relativeError(wasm.values, cpu.values)}`);
    });
  }
}

const sums: { x: number[]; axis: number[]; keepDims: boolean }[] = [
  { x: [64, 28, 28, 6], axis: [0, 1, 2], keepDims: false },
  { x: [64, 10, 10, 16], axis: [2, 0, 1], keepDims: true },
  { x: [64, 84], axis: [0], keepDims: false },
  { x: [9, 1], axis: [0], keepDims: false },
  { x: [5, 3, 7], axis: [0, 1], keepDims: false },
  // not a bias's gradient: delegated to the built-in
  { x: [4, 6, 5], axis: [1, 2], keepDims: false },
  { x: [4, 6, 5], axis: [0, 2], keepDims: true },
];

for (const { x, axis, keepDims } of sums) {
  test(`Sum x=[${x}] axis=[${axis}] keepDims=${keepDims} matches cpu`, async () => {
    const inputs = { x: { values: randomValues(sizeOf(x), seededRandom(sizeOf(x))), shape: x } };
    const cpu = await runKernelOn('cpu', 'Sum', inputs, { axis, keepDims });
    const wasm = await runKernelOn('wasm', 'Sum', inputs, { axis, keepDims });
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });
}

test("a bias's Add and Sum run in the SIMD pass, not in the built-in", async () => {
  await useBackend('wasm');
  const refuse = { kernelName: 'x', backendName: 'wasm', kernelFunc: () => assert.fail('delegated to the built-in') };
  const backend = tf.backend();
  const values = randomValues(2 * 3 * 3 * 6, seededRandom(1));
  const x = tf.tensor4d(values, [2, 3, 3, 6]);
  const bias = tf.tensor1d([1, 2, 3, 4, 5, 6]);
  const expectedAdd = values.map((v, i) => v + (i % 6) + 1);
  const expectedSum = new Float32Array(6);
  values.forEach((v, i) => (expectedSum[i % 6] += v));
  const added = makeAddConfig(refuse).kernelFunc({ inputs: { a: x, b: bias }, backend, attrs: {} }) as tf.TensorInfo;
  const summed = makeSumConfig(refuse).kernelFunc({ inputs: { x }, backend, attrs: { axis: [0, 1, 2], keepDims: false } }) as tf.TensorInfo;
  const ours = tf.engine().makeTensorFromTensorInfo(added);
  const sum = tf.engine().makeTensorFromTensorInfo(summed);
  assert.ok(relativeError(ours.dataSync(), expectedAdd) < 1e-6);
  assert.ok(relativeError(sum.dataSync(), expectedSum) < 1e-5);
  tf.dispose([x, bias, ours, sum]);
});
