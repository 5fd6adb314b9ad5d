import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { LECUN_1998_C3, type ConvLayer, type ModelSpec } from '../../graph';
import { withDefaults, type ResolvedTraining, type Training } from '../../pipeline-schema';
import { stackGradients } from '../../kernels';
import { useBackend } from './backend';
import { activate } from './layers/activation';
import { oneHot } from './labels';
import { buildModel } from './model';
import { makeOptimizer } from './optimizer';
import { sliceGradients } from './parallel';

before(async () => {
  await useBackend('wasm');
});

/** C3 as in LeNet-5 (6 maps in, 16 out, Table I), on a small input so the test is quick. */
const c3: ModelSpec = {
  input: [6, 7, 7],
  layers: [
    { id: 'C3', type: 'conv', filters: 16, kernel: 3, connections: 'lecun1998', activation: 'scaled-tanh' }, // [16, 5, 5]
    { type: 'flatten' },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};

/** Indices into a [kh, kw, 6, 16] kernel of the weights Table I leaves out. */
function absent(k: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < k; p++) for (let i = 0; i < 6; i++) for (let o = 0; o < 16; o++) if (!LECUN_1998_C3[o].includes(i)) out.push((p * 6 + i) * 16 + o);
  return out;
}

function inputs(n: number, size: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: n * size }, (_, i) => Math.sin((i + 1) * seed * 1.618)), [n, size]);
}

test('scaled-tanh is 1.7159 tanh(2a/3): f(1) = 1, f(-1) = -1, odd, bounded by 1.7159', () => {
  const a = [-1, 1, 0, 0.5, 20];
  const y = tf.tidy(() => activate(tf.tensor1d(a), 'scaled-tanh')).dataSync();
  a.forEach((v, i) => assert.ok(Math.abs(y[i] - 1.7159 * Math.tanh((2 * v) / 3)) < 1e-6, `f(${v}) = ${y[i]}`));
  assert.ok(Math.abs(y[0] + 1) < 1e-4 && Math.abs(y[1] - 1) < 1e-4);
  assert.ok(Math.abs(y[4] - 1.7159) < 1e-4);
});

test('connections=lecun1998: absent weights start at zero, get exactly zero gradient, and stay zero through adamw steps with l2', () => {
  const model = buildModel(c3, 1);
  const optimizer = makeOptimizer(withDefaults('Training', { optimizer: 'adamw', 'learning-rate': 0.05, l2: 0.1, 'weight-decay': 0.1 } as Training) as ResolvedTraining);
  try {
    const gone = absent(9);
    assert.equal(gone.length, 9 * 36);
    const w0 = model.weights()['C3/kernel'].data;
    for (const i of gone) assert.equal(w0[i], 0, `initial C3/kernel[${i}]`);
    assert.ok(w0.filter((v) => v !== 0).length === 9 * 60, 'the 60 connections start Glorot-uniform');

    const x = inputs(4, 6 * 49, 3);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.forward(x, true)) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, model.trainableVariables);
    const g = grads['C3/kernel'].dataSync();
    for (const i of gone) assert.ok(g[i] === 0, `gradient of C3/kernel[${i}]: ${g[i]}`); // +0 or -0
    assert.ok(g.some((v) => v !== 0), 'connected weights do get a gradient');
    tf.dispose([value, ...Object.values(grads)]);

    const kernels = new Set([model.variables.get('C3/kernel')!, model.variables.get('OUT/kernel')!]);
    for (let step = 0; step < 3; step++) optimizer.step(loss, model.trainableVariables, kernels);
    const w3 = model.weights()['C3/kernel'].data;
    for (const i of gone) assert.equal(w3[i], 0, `C3/kernel[${i}] after 3 steps`);
    assert.ok(w3.some((v, i) => v !== w0[i]), 'connected weights moved');
    tf.dispose([x, y]);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
});

test('connections: weights given for absent connections (e.g. a reference) have no effect on the forward', () => {
  const model = buildModel(c3, 2);
  const weights = model.weights();
  const x = inputs(2, 6 * 49, 5);
  const want = tf.tidy(() => model.forward(x, false)).dataSync();
  model.dispose();
  const noisy = Float32Array.from(weights['C3/kernel'].data);
  for (const i of absent(9)) noisy[i] = 100;
  const other = buildModel(c3, 0, { ...weights, 'C3/kernel': { shape: weights['C3/kernel'].shape, data: noisy } });
  const got = tf.tidy(() => other.forward(x, false)).dataSync();
  other.dispose();
  x.dispose();
  assert.deepEqual(got, want);
});

test('subsample x=[2,4,4] k=2 starts as an average pool (coefficient 1/4, bias 0); coefficient and bias are trained', () => {
  const spec: ModelSpec = { input: [2, 4, 4], layers: [{ id: 'S2', type: 'subsample' }, { type: 'flatten' }] };
  const model = buildModel(spec, 1);
  try {
    assert.deepEqual(Array.from(model.weights()['S2/coefficient'].data), [0.25, 0.25]);
    assert.deepEqual(Array.from(model.weights()['S2/bias'].data), [0, 0]);
    assert.deepEqual(model.trainableVariables.map((v) => v.name), ['S2/coefficient', 'S2/bias']);
    const x = inputs(3, 32, 7);
    const got = tf.tidy(() => model.forward(x, true)).dataSync();
    const want = tf.tidy(() => tf.reshape(tf.avgPool(tf.reshape(x, [3, 4, 4, 2]) as tf.Tensor4D, 2, 2, 'valid'), [3, -1])).dataSync();
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `[${i}]: ${v} vs ${want[i]}`));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.forward(x, true))) as tf.Scalar, model.trainableVariables);
    assert.ok(grads['S2/coefficient'].dataSync().every((g) => g !== 0));
    assert.ok(grads['S2/bias'].dataSync().every((g) => g !== 0));
    tf.dispose([x, value, ...Object.values(grads)]);
  } finally {
    model.dispose();
  }
});

test('weights() holds the state with the parameters; a model rebuilt from them infers the same (batchnorm, subsample, connections)', () => {
  const spec: ModelSpec = {
    input: [6, 8, 8],
    layers: [
      { id: 'C3', type: 'conv', filters: 16, kernel: 3, connections: 'lecun1998' }, // [16, 6, 6]
      { id: 'BN', type: 'batchnorm' },
      { id: 'S4', type: 'subsample', activation: 'scaled-tanh' }, // [16, 3, 3]
      { type: 'flatten' },
      { id: 'OUT', type: 'dense', units: 2 },
    ],
  };
  const model = buildModel(spec, 4);
  const x = inputs(3, 6 * 64, 11);
  tf.tidy(() => void model.forward(x, true));
  model.applyStateUpdates();
  const weights = model.weights();
  assert.deepEqual(Object.keys(weights), ['C3/kernel', 'C3/bias', 'BN/gamma', 'BN/beta', 'BN/moving_mean', 'BN/moving_variance', 'S4/coefficient', 'S4/bias', 'OUT/kernel', 'OUT/bias']);
  assert.equal(model.trainableVariables.length, 8);
  assert.ok(weights['BN/moving_mean'].data.some((v) => v !== 0));
  const want = tf.tidy(() => model.forward(x, false)).dataSync();
  model.dispose();
  const rebuilt = buildModel(spec, 99, weights);
  const got = tf.tidy(() => rebuilt.forward(x, false)).dataSync();
  rebuilt.dispose();
  x.dispose();
  assert.deepEqual(got, want);
});

test('a ReLU before a max pool runs after it: the same logits and gradients as in the written order, on cpu and wasm', async () => {
  // An overlapping 3x3 pool at stride 2, and a 2x2 one; whole windows of negatives and ties of equal maxima.
  const layers = (between: boolean): ModelSpec['layers'] => [
    { id: 'C1', type: 'conv', filters: 4, kernel: 3, padding: 'same' },
    { id: 'BN', type: 'batchnorm' },
    { type: 'activation', activation: 'relu' },
    ...(between ? [{ type: 'activation', activation: 'linear' } as const] : []),
    { type: 'maxpool', size: 3, stride: 2 },
    { type: 'activation', activation: 'relu' },
    ...(between ? [{ type: 'activation', activation: 'linear' } as const] : []),
    { type: 'maxpool', size: 2 },
    { type: 'flatten' },
    { id: 'OUT', type: 'dense', units: 3 },
  ];
  const x = tf.tidy(() => tf.round(tf.mul(inputs(3, 2 * 9 * 9, 5), 2))); // integers: ties
  const y = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3);
  const run = (between: boolean) => {
    const model = buildModel({ input: [2, 9, 9], layers: layers(between) }, 7);
    try {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, true)) as tf.Scalar, model.trainableVariables);
      const out = { loss: value.dataSync()[0], grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])) };
      tf.dispose([value, ...Object.values(grads)]);
      model.applyStateUpdates();
      return out;
    } finally {
      model.dispose();
    }
  };
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    // The ReLUs' inputs: the pooled values, [3, 4, 4, 4] and [3, 2, 2, 4], not the conv's [3, 9, 9, 4].
    const profile = await tf.profile(() => tf.dispose(run(false) && []));
    const reluShapes = profile.kernels.filter((k) => /Relu$/.test(k.name)).map((k) => k.inputShapes[0]);
    assert.deepEqual(reluShapes, [[3, 4, 4, 4], [3, 2, 2, 4]], backend);
    const [pooledFirst, written] = [run(false), run(true)];
    assert.equal(pooledFirst.loss, written.loss, backend);
    assert.deepEqual(pooledFirst.grads, written.grads, backend);
    assert.ok(Object.values(written.grads).every((g) => g.some((v) => v !== 0)), `${backend}: every parameter gets a gradient`);
  }
  tf.dispose([x, y]);
});

test('an input that comes flattened goes straight into a leading flatten: no Reshape, the same logits as the NHWC batch', async () => {
  await useBackend('wasm');
  const mlp: ModelSpec = { input: [2, 4, 4], layers: [{ type: 'flatten' }, { id: 'H', type: 'dense', units: 5, activation: 'tanh' }, { id: 'OUT', type: 'dense', units: 3 }] };
  const model = buildModel(mlp, 3);
  try {
    const x = inputs(4, 32, 2);
    const profile = await tf.profile(() => tf.dispose(model.forward(x, true)));
    assert.deepEqual(profile.kernels.filter((k) => k.name === 'Reshape'), []);
    const flat = tf.tidy(() => Array.from(model.forward(x, false).dataSync()));
    const nhwc = tf.tidy(() => Array.from(model.forward(tf.reshape(x, [4, 4, 4, 2]), false).dataSync()));
    assert.deepEqual(flat, nhwc);
    x.dispose();
  } finally {
    model.dispose();
  }
});

const LENET: ModelSpec = {
  input: [1, 16, 16],
  layers: [
    { id: 'C1', type: 'conv', filters: 4, kernel: 5, activation: 'tanh' },
    { id: 'S2', type: 'avgpool', size: 2 },
    { id: 'C3', type: 'conv', filters: 6, kernel: 3, padding: 'same', activation: 'scaled-tanh' },
    { id: 'S4', type: 'avgpool', size: 2, stride: 1 },
    { id: 'C5', type: 'conv', filters: 8, kernel: 3, activation: 'tanh' },
    { type: 'flatten' },
    { id: 'F6', type: 'dense', units: 7, activation: 'tanh' },
    { id: 'OUT', type: 'dense', units: 5 },
  ],
};

test('an MLP, and convolutions with tanhs and average pools before one, are stacks; any other model is not', () => {
  const stackOf = (spec: ModelSpec) => {
    const model = buildModel(spec, 1);
    const stack = model.stack;
    const names = stack && [
      ...stack.convs.map((l) => `${l.w.name} ${l.bias.name} ${l.scale === 1 ? 'tanh' : 'scaled-tanh'}${l.pool ? ` pool ${l.pool.filterSize}/${l.pool.strides}` : ''}`),
      ...stack.dense.map((l) => `${l.w.name} ${l.bias.name} ${typeof l.activation === 'string' ? l.activation : 'tanh'}`),
    ];
    model.dispose();
    return names;
  };
  const mlp: ModelSpec = { input: [1, 6, 6], layers: [{ type: 'flatten' }, { id: 'H', type: 'dense', units: 8, activation: 'relu' }, { id: 'OUT', type: 'dense', units: 4 }] };
  assert.deepEqual(stackOf(mlp), ['H/kernel H/bias relu', 'OUT/kernel OUT/bias linear']);
  assert.deepEqual(stackOf({ input: [12], layers: [{ id: 'H', type: 'dense', units: 5, activation: 'scaled-tanh' }, { id: 'OUT', type: 'dense', units: 3 }] }), ['H/kernel H/bias tanh', 'OUT/kernel OUT/bias linear']);
  assert.deepEqual(stackOf(LENET), [
    'C1/kernel C1/bias tanh pool 2,2/2,2',
    'C3/kernel C3/bias scaled-tanh pool 2,2/1,1',
    'C5/kernel C5/bias tanh',
    'F6/kernel F6/bias tanh',
    'OUT/kernel OUT/bias linear',
  ]);
  const [c1, s2, ...after] = LENET.layers;
  const conv = c1 as ConvLayer;
  const others: ModelSpec[] = [
    { ...mlp, layers: [mlp.layers[0], mlp.layers[1], { type: 'dropout', rate: 0.5 }, mlp.layers[2]] },
    { ...mlp, layers: [mlp.layers[0], { id: 'H', type: 'dense', units: 8, activation: 'sigmoid' }, mlp.layers[2]] },
    { ...mlp, layers: [mlp.layers[0], { id: 'H', type: 'dense', units: 8, activation: 'relu', bias: false }, mlp.layers[2]] },
    { ...LENET, layers: [{ ...conv, activation: 'relu' }, s2, ...after] },
    { ...LENET, layers: [{ ...conv, bias: false }, s2, ...after] },
    { ...LENET, layers: [c1, { ...s2, type: 'maxpool' }, ...after] },
    { ...LENET, layers: [c1, { id: 'S2', type: 'subsample', size: 2 }, ...after] },
    c3,
  ];
  for (const spec of others) assert.equal(stackOf(spec), undefined, JSON.stringify(spec.layers));
});

for (const [what, spec] of [
  ['an MLP', { input: [1, 8, 8], layers: [{ type: 'flatten' }, { id: 'H1', type: 'dense', units: 9, activation: 'relu' }, { id: 'H2', type: 'dense', units: 7, activation: 'tanh' }, { id: 'OUT', type: 'dense', units: 5 }] }],
  ['a LeNet-5 (convolutions, tanhs and pools)', LENET],
] as [string, ModelSpec][]) {
  test(`${what}: a step without the tape gives the taped step bit for bit: loss, right answers and every gradient`, () => {
    const model = buildModel(spec, 2);
    try {
      assert.ok(model.stack, 'the model is a stack');
      const labels = Int32Array.from({ length: 12 }, (_, i) => (i * 3) % 5);
      const x = inputs(12, tf.util.sizeFromShape(spec.input), 5);
      const y = oneHot(labels, 5);
      // Not the taped path again: the stack takes this model.
      const check = stackGradients(x, y, model.stack, 0.75);
      assert.ok(check, 'the stack runs');
      tf.dispose(check.grads.flatMap((g) => [g.w, g.bias]));
      const direct = sliceGradients(model, x, y, labels, 0.75, 1);
      const taped = sliceGradients({ ...model, stack: undefined }, x, y, labels, 0.75, 1);
      assert.equal(direct.loss, taped.loss);
      assert.equal(direct.correct, taped.correct);
      assert.deepEqual(Object.keys(direct.grads).sort(), Object.keys(taped.grads).sort());
      for (const name of Object.keys(taped.grads)) assert.deepEqual(direct.grads[name].dataSync(), taped.grads[name].dataSync(), name);
      tf.dispose([x, y, ...Object.values(direct.grads), ...Object.values(taped.grads)]);
    } finally {
      model.dispose();
    }
  });
}
