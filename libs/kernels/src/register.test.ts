import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { builtinConv2DBackpropInput } from './conv2d-backprop-input';
import { registerWasmKernels } from './register';
import { randomValues, relativeError, seededRandom, sizeOf, useBackend } from '../testing';

// Captured before anything registers, so the tests below see the untouched registry.
const cpuFilterBefore = tf.getKernel('Conv2DBackpropFilter', 'cpu');
const cpuInputBefore = tf.getKernel('Conv2DBackpropInput', 'cpu');
const wasmFilterBefore = tf.getKernel('Conv2DBackpropFilter', 'wasm');
const wasmInputBefore = tf.getKernel('Conv2DBackpropInput', 'wasm');
// The built-ins registerWasmKernels replaces by kernels that take the cases training hits and hand the rest to them.
const WRAPPED = ['Conv2D', 'Conv2DBackpropInput', 'BatchMatMul', 'AvgPool', 'AvgPoolGrad', 'Add', 'Sum', 'Identity', 'Cast'];
// The kernels it adds: one tfjs-backend-wasm lacks, and the fused ops' (no other backend has them).
const ADDED = ['Conv2DBackpropFilter', 'TrainyardScaledTanh', 'TrainyardScaledTanhGrad', 'TrainyardCrossEntropy', 'TrainyardCrossEntropyGrad', 'TrainyardAdam'];
const kernelsOf = (backend: string) => new Map([...WRAPPED, ...ADDED].map((name) => [name, tf.getKernel(name, backend)]));
const [wasmBefore, cpuBefore] = [kernelsOf('wasm'), kernelsOf('cpu')];

interface Net {
  x: tf.Tensor4D;
  w1: tf.Tensor4D;
  b1: tf.Tensor1D;
  w2: tf.Tensor4D;
  w3: tf.Tensor2D;
}

const netShapes = { x: [2, 9, 9, 3], w1: [3, 3, 3, 4], b1: [4], w2: [3, 3, 4, 5], w3: [5 * 4 * 4, 3] };

function netValues(seed: number): Record<keyof Net, Float32Array> {
  const rand = seededRandom(seed);
  const out = {} as Record<keyof Net, Float32Array>;
  for (const [name, shape] of Object.entries(netShapes)) out[name as keyof Net] = randomValues(sizeOf(shape), rand);
  return out;
}

function netTensors(values: Record<keyof Net, Float32Array>): Net {
  return {
    x: tf.tensor4d(values.x, netShapes.x as [number, number, number, number]),
    w1: tf.tensor4d(values.w1, netShapes.w1 as [number, number, number, number]),
    b1: tf.tensor1d(values.b1),
    w2: tf.tensor4d(values.w2, netShapes.w2 as [number, number, number, number]),
    w3: tf.tensor2d(values.w3, netShapes.w3 as [number, number]),
  };
}

/** Fused 'same' conv + bias + tanh, strided 'valid' conv, tanh, dense, squared loss. */
function netLoss(x: tf.Tensor4D, w1: tf.Tensor4D, b1: tf.Tensor1D, w2: tf.Tensor4D, w3: tf.Tensor2D): tf.Scalar {
  const h1 = tf.tanh(tf.fused.conv2d({ x, filter: w1, bias: b1, strides: 1, pad: 'same' }));
  const h2 = tf.tanh(tf.conv2d(h1, w2, 2, 'valid'));
  const logits = tf.matMul(tf.reshape(h2, [x.shape[0], -1]), w3);
  return tf.mean(tf.square(tf.sub(logits, 0.5)));
}

async function gradsOn(backend: 'cpu' | 'wasm', values: Record<keyof Net, Float32Array>): Promise<Float32Array[]> {
  await useBackend(backend);
  return tf.tidy(() => {
    const net = netTensors(values);
    const grads = tf.grads(netLoss as (...args: tf.Tensor[]) => tf.Tensor)([net.x, net.w1, net.b1, net.w2, net.w3]);
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

function dataIds(): number {
  return tf.backend().numDataIds();
}

describe('registerWasmKernels', () => {
  test('registers for wasm only, keeps the built-in input kernel, is idempotent and silent', () => {
    assert.equal(wasmFilterBefore, undefined, 'tfjs-backend-wasm 4.22.0 ships no Conv2DBackpropFilter');
    assert.ok(wasmInputBefore !== undefined);
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      registerWasmKernels();
      const filter = tf.getKernel('Conv2DBackpropFilter', 'wasm');
      const input = tf.getKernel('Conv2DBackpropInput', 'wasm');
      registerWasmKernels();
      assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), filter);
      assert.equal(tf.getKernel('Conv2DBackpropInput', 'wasm'), input);
      assert.ok(filter !== undefined && input !== undefined);
      assert.notEqual(input, wasmInputBefore);
      assert.equal(input.setupFunc, wasmInputBefore?.setupFunc, 'the built-in setup still runs at backend init');
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, []);
    assert.equal(builtinConv2DBackpropInput(), wasmInputBefore);
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'cpu'), cpuFilterBefore);
    assert.equal(tf.getKernel('Conv2DBackpropInput', 'cpu'), cpuInputBefore);
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
      assert.equal(tf.getKernel(name, 'tensorflow'), undefined, 'nothing registered for tfjs-node');
    }
  });

  test('replaces each built-in once, keeping its setup, and adds its own kernels for wasm only', () => {
    registerWasmKernels();
    const first = WRAPPED.map((name) => tf.getKernel(name, 'wasm'));
    registerWasmKernels();
    for (const [i, name] of WRAPPED.entries()) {
      const builtin = wasmBefore.get(name);
      assert.ok(builtin !== undefined, `${name}: tfjs-backend-wasm has one`);
      assert.equal(tf.getKernel(name, 'wasm'), first[i], `${name}: a second call wraps nothing again`);
      assert.notEqual(first[i], builtin, `${name}: replaced`);
      assert.equal(first[i]?.setupFunc, builtin.setupFunc, `${name}: the built-in's setup still runs at backend init`);
    }
    for (const name of ADDED) {
      assert.equal(wasmBefore.get(name), undefined, `${name}: not in tfjs-backend-wasm`);
      assert.ok(tf.getKernel(name, 'wasm') !== undefined, `${name}: registered for wasm`);
    }
    for (const name of [...WRAPPED, ...ADDED]) {
      assert.equal(tf.getKernel(name, 'cpu'), cpuBefore.get(name), `${name}: cpu untouched`);
      assert.equal(tf.getKernel(name, 'tensorflow'), undefined, `${name}: nothing registered for tfjs-node`);
    }
  });

  test('tf.grads of a small conv net on wasm matches cpu', async (t) => {
    registerWasmKernels();
    const values = netValues(42);
    const expected = await gradsOn('cpu', values);
    const actual = await gradsOn('wasm', values);
    const names = Object.keys(netShapes);
    for (const [i, name] of names.entries()) {
      const err = relativeError(actual[i], expected[i]);
      t.diagnostic(`d${name}: relative error ${err.toExponential(2)}`);
      assert.ok(err < 1e-4, `d${name}: relative error ${err}`);
    }
  });

  test('a training loop on wasm leaks no tensors, bytes or backend buffers', async () => {
    registerWasmKernels();
    await useBackend('wasm');
    const values = netValues(7);
    const net = netTensors(values);
    const w1 = tf.variable(net.w1);
    const b1 = tf.variable(net.b1);
    const w2 = tf.variable(net.w2);
    const w3 = tf.variable(net.w3);
    const loss = () => netLoss(net.x, w1, b1, w2, w3);
    // Small enough that the loss falls on every backend (at 0.05 it oscillates, on cpu as on wasm).
    const optimizer = tf.train.sgd(0.005);
    const step = (): number => {
      const cost = optimizer.minimize(loss, true);
      const value = cost?.dataSync()[0] ?? NaN;
      cost?.dispose();
      return value;
    };
    step();
    const before = { ...tf.memory(), dataIds: dataIds() };
    const first = step();
    let last = first;
    for (let i = 0; i < 20; i++) last = step();
    const after = { ...tf.memory(), dataIds: dataIds() };
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytes, before.numBytes);
    assert.equal(after.dataIds, before.dataIds);
    assert.ok(last < first, `loss goes down (${first} -> ${last})`);
    optimizer.dispose();
    tf.dispose([w1, b1, w2, w3, net.x, net.w1, net.b1, net.w2, net.w3]);
  });

  test('the cpu backend still computes with its own kernels after registration', async () => {
    registerWasmKernels();
    await useBackend('cpu');
    assert.equal(tf.getBackend(), 'cpu');
    const values = netValues(3);
    const a = await gradsOn('cpu', values);
    assert.ok(a.every((g) => g.every(Number.isFinite)));
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'cpu'), cpuFilterBefore);
    assert.equal(tf.getKernel('Conv2DBackpropInput', 'cpu'), cpuInputBefore);
  });
});
