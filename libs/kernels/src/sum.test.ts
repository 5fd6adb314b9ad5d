import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { makeSumConfig } from './sum';
import { randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

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

test("a bias's Sum runs in the SIMD pass, not in the built-in", async () => {
  await useBackend('wasm');
  const refuse = { kernelName: 'x', backendName: 'wasm', kernelFunc: () => assert.fail('delegated to the built-in') };
  const backend = tf.backend();
  const values = randomValues(2 * 3 * 3 * 6, seededRandom(1));
  const x = tf.tensor4d(values, [2, 3, 3, 6]);
  const expectedSum = new Float32Array(6);
  values.forEach((v, i) => (expectedSum[i % 6] += v));
  const summed = makeSumConfig(refuse).kernelFunc({ inputs: { x }, backend, attrs: { axis: [0, 1, 2], keepDims: false } }) as tf.TensorInfo;
  const sum = tf.engine().makeTensorFromTensorInfo(summed);
  assert.ok(relativeError(sum.dataSync(), expectedSum) < 1e-5);
  tf.dispose([x, sum]);
});
