import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { SCALED_TANH } from '../../graph';
import { crossEntropy } from './cross-entropy';
import { dense, type DenseActivation } from './dense';
import { scaledTanh } from './scaled-tanh';
import { stackGradients, type ConvStage, type StackLayer } from './stack';
import { assertNoLeaks, randomValues, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

interface Case {
  what: string;
  batch: number;
  input: number;
  layers: [number, DenseActivation][];
}

// The bench's MLP, the shipped one (mnist-lenet-vs-mlp: ReLU, widths 57 and 48), and shapes with remainders.
const CASES: Case[] = [
  { what: 'tanh, linear', batch: 64, input: 1024, layers: [[60, { scale: 1, amplitude: 1 }], [10, 'linear']] },
  { what: 'relu, relu, linear', batch: 32, input: 300, layers: [[57, 'relu'], [48, 'relu'], [10, 'linear']] },
  { what: 'scaled tanh, relu, scaled tanh', batch: 7, input: 13, layers: [[6, { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A }], [5, 'relu'], [4, { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A }]] },
];

/** Weights, biases, an input and one-hot labels for a case, from a seed. */
function make({ batch, input, layers }: Case, seed: number) {
  const rand = seededRandom(seed);
  const values = (shape: number[]) => tf.tensor(randomValues(shape.reduce((a, b) => a * b), rand), shape);
  let width = input;
  const stack: StackLayer[] = layers.map(([units, activation]) => {
    const layer = { w: values([width, units]), bias: values([units]), activation };
    width = units;
    return layer;
  });
  const x = values([batch, input]);
  const classes = width;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % classes), 'int32'), classes), 'float32'));
  return { stack, x, labels, dispose: () => tf.dispose([x, labels, ...stack.flatMap((l) => [l.w, l.bias])]) };
}

const bits = (t: tf.Tensor | Float32Array) => Array.from(new Uint32Array(Float32Array.from(t instanceof tf.Tensor ? (t.dataSync() as Float32Array) : t).buffer));

for (const c of CASES) {
  test(`a dense stack (${c.what}) without the tape: the loss, logits and gradients the tape gives, bit for bit`, async () => {
    await useBackend('wasm');
    const { stack, x, labels, dispose } = make(c, c.input);
    const scale = 0.5;
    const variables = stack.flatMap((l) => [l.w, l.bias]);
    let logits!: tf.Tensor;
    const taped = tf.grads((...vs: tf.Tensor[]) => {
      let y = x;
      for (let i = 0; i < stack.length; i++) y = dense(y, vs[2 * i], vs[2 * i + 1], stack[i].activation)!;
      logits = tf.keep(y);
      return crossEntropy(labels, y, scale);
    });
    const loss = tf.tidy(() => crossEntropy(labels, stack.reduce((y, l) => dense(y, l.w, l.bias, l.activation)!, x), scale));
    const expected = taped(variables);
    const direct = stackGradients(x, labels, { convs: [], dense: stack }, scale)!;
    assert.ok(direct, 'the stack takes these layers');
    assert.deepEqual(bits(new Float32Array([direct.loss])), bits(loss));
    assert.deepEqual(bits(direct.logits), bits(logits));
    direct.grads.forEach((g, i) => {
      assert.deepEqual(bits(g.w), bits(expected[2 * i]), `layer ${i} w`);
      assert.deepEqual(bits(g.bias), bits(expected[2 * i + 1]), `layer ${i} bias`);
    });
    tf.dispose([loss, logits, ...expected, ...direct.grads.flatMap((g) => [g.w, g.bias])]);
    dispose();
  });
}

test('a dense stack declines (undefined, nothing run) off wasm and where a layer does not take the fused kernel', async () => {
  const [wide] = CASES;
  await useBackend('cpu');
  const onCpu = make(wide, 1);
  assert.equal(stackGradients(onCpu.x, onCpu.labels, { convs: [], dense: onCpu.stack }, 1), undefined);
  onCpu.dispose();
  await useBackend('wasm');
  for (const c of [{ ...wide, batch: 2 }, { ...wide, layers: [[60, 'relu'], [3, 'linear']] as Case['layers'] }]) {
    const { x, labels, stack, dispose } = make(c, 2);
    const before = tf.backend().numDataIds();
    assert.equal(stackGradients(x, labels, { convs: [], dense: stack }, 1), undefined, c.what);
    assert.equal(tf.backend().numDataIds(), before);
    dispose();
  }
  const { x, labels, stack, dispose } = make(wide, 3);
  assert.equal(stackGradients(x, tf.slice(labels, [0, 0], [32, 10]), { convs: [], dense: stack }, 1), undefined, 'labels of another batch');
  dispose();
});

test('a dense stack leaves nothing behind but its gradients, and shows its kernels in tf.profile', async () => {
  await useBackend('wasm');
  const { x, labels, stack, dispose } = make(CASES[1], 4);
  assertNoLeaks(() => tf.dispose(stackGradients(x, labels, { convs: [], dense: stack }, 1)!.grads.flatMap((g) => [g.w, g.bias])));
  const profile = await tf.profile(() => {
    tf.dispose(stackGradients(x, labels, { convs: [], dense: stack }, 1)!.grads.flatMap((g) => [g.w, g.bias]));
  });
  const dense3 = ['TrainyardDense', 'TrainyardDense', 'TrainyardDense'];
  const backward = ['TrainyardDenseGrad', 'BatchMatMul', 'TrainyardDenseGrad', 'BatchMatMul', 'TrainyardDenseGrad'];
  assert.deepEqual(
    profile.kernels.map((k) => k.name),
    [...dense3, 'TrainyardCrossEntropy', 'TrainyardCrossEntropyGrad', ...backward],
  );
  dispose();
});

// LeNet-5's stages at a smaller size, with a scaled tanh, a 'same' convolution, an overlapping pool and a stage
// without a pool.
const IMAGE: [number, number, number] = [14, 14, 2];
const STAGES: { filters: number; kernel: number; pad: 'valid' | 'same'; scaled: boolean; pool?: [number, number] }[] = [
  { filters: 6, kernel: 5, pad: 'valid', scaled: false, pool: [2, 2] },
  { filters: 5, kernel: 3, pad: 'same', scaled: true, pool: [2, 1] },
  { filters: 8, kernel: 3, pad: 'valid', scaled: false },
];

function makeConvs(batch: number, seed: number) {
  const rand = seededRandom(seed);
  const values = (shape: number[]) => tf.tensor(randomValues(shape.reduce((a, b) => a * b), rand), shape);
  let channels = IMAGE[2];
  const convs: ConvStage[] = STAGES.map(({ filters, kernel, pad, scaled, pool }) => {
    const stage: ConvStage = { w: values([kernel, kernel, channels, filters]), bias: values([filters]), scale: scaled ? SCALED_TANH.S : 1, amplitude: scaled ? SCALED_TANH.A : 1, strides: [1, 1], pad };
    if (pool) stage.pool = { filterSize: [pool[0], pool[0]], strides: [pool[1], pool[1]], pad: 'valid' };
    channels = filters;
    return stage;
  });
  // 14 -> 10 -> 5 (pool 2) -> 5 -> 4 (pool 2, stride 1) -> 2: 2 x 2 x 8 features.
  const dense: StackLayer[] = [
    { w: values([32, 12]), bias: values([12]), activation: { scale: 1, amplitude: 1 } },
    { w: values([12, 10]), bias: values([10]), activation: 'linear' },
  ];
  const x = values([batch, IMAGE[0] * IMAGE[1] * IMAGE[2]]);
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 3) % 10), 'int32'), 10), 'float32'));
  const tensors = [...convs.flatMap((c) => [c.w, c.bias]), ...dense.flatMap((l) => [l.w, l.bias])];
  return { convs, dense, x, labels, tensors, dispose: () => tf.dispose([x, labels, ...tensors]) };
}

test('convolution stages and dense layers without the tape: the loss, logits and gradients the tape gives, bit for bit', async () => {
  await useBackend('wasm');
  const { convs, dense: layers, x, labels, tensors, dispose } = makeConvs(12, 5);
  const scale = 0.25;
  const forward = (vs: tf.Tensor[]) => {
    let y: tf.Tensor = tf.reshape(x, [-1, ...IMAGE]);
    convs.forEach((c, i) => {
      y = scaledTanh(tf.conv2d(y as tf.Tensor4D, vs[2 * i] as tf.Tensor4D, c.strides, c.pad), c.scale, c.amplitude, vs[2 * i + 1]);
      if (c.pool) y = tf.avgPool(y as tf.Tensor4D, c.pool.filterSize, c.pool.strides, c.pool.pad);
    });
    y = tf.reshape(y, [x.shape[0], -1]);
    layers.forEach((l, i) => (y = dense(y, vs[2 * (convs.length + i)], vs[2 * (convs.length + i) + 1], l.activation)!));
    return y;
  };
  let logits!: tf.Tensor;
  const expected = tf.grads((...vs: tf.Tensor[]) => {
    const y = forward(vs);
    logits = tf.keep(y);
    return crossEntropy(labels, y, scale);
  })(tensors);
  const loss = tf.tidy(() => crossEntropy(labels, forward(tensors), scale));
  const direct = stackGradients(x, labels, { image: IMAGE, convs, dense: layers }, scale);
  assert.ok(direct, 'the stack takes these stages');
  assert.deepEqual(bits(new Float32Array([direct.loss])), bits(loss));
  assert.deepEqual(bits(direct.logits), bits(logits));
  direct.grads.forEach((g, i) => {
    assert.deepEqual(bits(g.w), bits(expected[2 * i]), `part ${i} w`);
    assert.deepEqual(bits(g.bias), bits(expected[2 * i + 1]), `part ${i} bias`);
  });
  tf.dispose([loss, logits, ...expected, ...direct.grads.flatMap((g) => [g.w, g.bias])]);
  dispose();
});

test('convolution stages: nothing left behind but the gradients, their kernels in tf.profile, and declines that run nothing', async () => {
  await useBackend('wasm');
  const { convs, dense: layers, x, labels, dispose } = makeConvs(6, 6);
  const stack = { image: IMAGE, convs, dense: layers };
  assertNoLeaks(() => tf.dispose(stackGradients(x, labels, stack, 1)!.grads.flatMap((g) => [g.w, g.bias])));
  const profile = await tf.profile(() => {
    tf.dispose(stackGradients(x, labels, stack, 1)!.grads.flatMap((g) => [g.w, g.bias]));
  });
  const stage = ['Conv2D', 'TrainyardScaledTanh'];
  const back = ['TrainyardScaledTanhGrad', 'Sum', 'Conv2DBackpropFilter'];
  assert.deepEqual(profile.kernels.map((k) => k.name), [
    ...stage, 'AvgPool', ...stage, 'AvgPool', ...stage,
    'TrainyardDense', 'TrainyardDense', 'TrainyardCrossEntropy', 'TrainyardCrossEntropyGrad',
    'TrainyardDenseGrad', 'BatchMatMul', 'TrainyardDenseGrad', 'BatchMatMul',
    ...back, 'Conv2DBackpropInput', 'AvgPoolGrad', ...back, 'Conv2DBackpropInput', 'AvgPoolGrad', ...back,
  ]);
  // Images of another size than x's rows, and a first dense layer that does not take the stages' features.
  const narrow = tf.zeros([30, 12]);
  const before = tf.backend().numDataIds();
  assert.equal(stackGradients(x, labels, { ...stack, image: [13, 14, 2] }, 1), undefined);
  assert.equal(stackGradients(x, labels, { ...stack, image: undefined }, 1), undefined);
  assert.equal(stackGradients(x, labels, { ...stack, dense: [{ ...layers[0], w: narrow }, layers[1]] }, 1), undefined);
  assert.equal(tf.backend().numDataIds(), before);
  narrow.dispose();
  dispose();
});
