import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { makeAddConfig } from './add';
import { randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

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

test("a bias's Add runs in the SIMD pass, not in the built-in", async () => {
  await useBackend('wasm');
  const refuse = { kernelName: 'x', backendName: 'wasm', kernelFunc: () => assert.fail('delegated to the built-in') };
  const backend = tf.backend();
  const values = randomValues(2 * 3 * 3 * 6, seededRandom(1));
  const x = tf.tensor4d(values, [2, 3, 3, 6]);
  const bias = tf.tensor1d([1, 2, 3, 4, 5, 6]);
  const expectedAdd = values.map((v, i) => v + (i % 6) + 1);
  const added = makeAddConfig(refuse).kernelFunc({ inputs: { a: x, b: bias }, backend, attrs: {} }) as tf.TensorInfo;
  const ours = tf.engine().makeTensorFromTensorInfo(added);
  assert.ok(relativeError(ours.dataSync(), expectedAdd) < 1e-6);
  tf.dispose([x, bias, ours]);
});
