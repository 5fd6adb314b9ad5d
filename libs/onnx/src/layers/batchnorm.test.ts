import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Weights } from '../../../artifacts';
import type { ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf, opTypes } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';
import { randomWeights } from '../testing/seeded';

const afterConv: ModelSpec = {
  input: [2, 7, 7],
  layers: [
    { id: 'C1', type: 'conv', filters: 4, kernel: 3 }, // [4, 5, 5]
    { id: 'BN', type: 'batchnorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'flatten' },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};
const afterDense: ModelSpec = {
  input: [10],
  layers: [
    { id: 'F1', type: 'dense', units: 6, activation: 'tanh' },
    { id: 'BN', type: 'batchnorm', epsilon: 1e-3 },
    { id: 'OUT', type: 'dense', units: 3 },
  ],
};

/** Moving statistics far from 0 and 1, so using the batch's or the initial ones instead would show. */
function withStats(model: ModelSpec, mean: number[], variance: number[], seed = 1): Weights {
  return {
    ...randomWeights(model, seed),
    'BN/moving_mean': { shape: [mean.length], data: Float32Array.from(mean) },
    'BN/moving_variance': { shape: [variance.length], data: Float32Array.from(variance) },
  };
}

test('batchnorm after conv x=[2,7,7] f=3x3x4 (NCHW, 4-D) with moving stats matches TensorFlow.js', async () => {
  await assertMatchesTf(afterConv, { batches: [1, 4], weights: withStats(afterConv, [0.5, -1, 2, 0], [0.25, 4, 1.5, 0.01]) });
  await assertMatchesTf(afterConv, { batches: [2], seed: 9 });
});

test('batchnorm after dense x=[10] units=6 (2-D) epsilon=1e-3 with moving stats matches TensorFlow.js', async () => {
  await assertMatchesTf(afterDense, { batches: [1, 4], weights: withStats(afterDense, [0.3, -0.2, 0.1, 1, -1, 0], [0.5, 2, 0.1, 1, 3, 0.02]) });
});

test('batchnorm straight on the input: [3,4,4] and [5]', async () => {
  await assertMatchesTf({ input: [3, 4, 4], layers: [{ id: 'BN', type: 'batchnorm' }, { type: 'flatten' }] }, { batches: [1, 3] });
  await assertMatchesTf({ input: [5], layers: [{ id: 'BN', type: 'batchnorm' }] }, { batches: [1, 3] });
});

test('batchnorm after an activation writes one BatchNormalization (epsilon, momentum as floats) reading gamma, beta and the moving stats', () => {
  const { nodes, initializers } = decode(exportOnnx({ model: afterDense, weights: randomWeights(afterDense, 1), opset: 13, graphName: 'g', metadata: {} }));
  const bn = nodes.find((n) => n.opType === 'BatchNormalization')!;
  assert.equal(bn.name, 'BN/BatchNormalization');
  assert.deepEqual(bn.input, ['F1/Tanh', 'BN/gamma', 'BN/beta', 'BN/moving_mean', 'BN/moving_variance']);
  const attributes = Object.fromEntries(bn.attribute.map((a) => [a.name, a.f]));
  assert.deepEqual(attributes, { epsilon: Math.fround(1e-3), momentum: Math.fround(0.9) });
  for (const name of bn.input.slice(1)) assert.deepEqual(initializers.find((t) => t.name === name)!.dims.map(Number), [6]);
});

test('batchnorm runs at opsets 14, 15 and 17 (BatchNormalization-14/15) too', async () => {
  for (const opset of [14, 15, 17]) {
    await assertMatchesTf(afterConv, { batches: [2], opset });
    await assertMatchesTf(afterDense, { batches: [2], opset });
  }
});

const exportOf = (model: ModelSpec, weights = randomWeights(model, 1)) => decode(exportOnnx({ model, weights, opset: 13, graphName: 'g', metadata: {} }));

test('batchnorm right after a conv is folded into it: kernel and bias scaled per output channel, no BatchNormalization', () => {
  const weights = withStats(afterConv, [0.5, -1, 2, 0], [0.25, 4, 1.5, 0.01]);
  const { nodes, initializers } = exportOf(afterConv, weights);
  assert.deepEqual(nodes.map((n) => n.name), ['C1/Conv', 'activation1/Relu', 'flatten1/Flatten', 'OUT/Gemm']);
  assert.deepEqual(initializers.map((t) => t.name), ['C1/kernel', 'C1/bias', 'OUT/kernel', 'OUT/bias']);
  const s = (c: number) => weights['BN/gamma'].data[c] / Math.sqrt(weights['BN/moving_variance'].data[c] + Math.fround(1e-5)); // the default epsilon
  const bias = floatsOf(initializers[1]);
  const kernel = floatsOf(initializers[0]); // OIHW [4, 2, 3, 3]
  for (let c = 0; c < 4; c++) {
    const want = s(c) * (weights['C1/bias'].data[c] - weights['BN/moving_mean'].data[c]) + weights['BN/beta'].data[c];
    assert.ok(Math.abs(bias[c] - want) < 1e-6, `C1/bias[${c}]`);
    // kernel[c, i=0, 0, 0] is trained [0, 0, 0, c]
    assert.ok(Math.abs(kernel[c * 18] - s(c) * weights['C1/kernel'].data[c]) < 1e-6, `C1/kernel[${c}, 0, 0, 0]`);
  }
});

const foldCases: { name: string; model: ModelSpec; ops: string[] }[] = [
  {
    name: 'conv bias=false -> batchnorm: the conv gains a bias',
    model: { input: [2, 6, 6], layers: [{ id: 'C', type: 'conv', filters: 3, kernel: 3, bias: false }, { id: 'BN', type: 'batchnorm' }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
    ops: ['Conv', 'Flatten', 'Gemm'],
  },
  {
    name: 'dense -> dropout -> batchnorm -> batchnorm: both folded through the dropout',
    model: { input: [6], layers: [{ id: 'F', type: 'dense', units: 4 }, { type: 'dropout', rate: 0.5 }, { id: 'BN', type: 'batchnorm' }, { type: 'batchnorm', epsilon: 0.1 }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 3 }] },
    ops: ['Gemm', 'Tanh', 'Gemm'],
  },
  {
    name: 'dense bias=false -> batchnorm as the last layer',
    model: { input: [6], layers: [{ id: 'F', type: 'dense', units: 4, bias: false }, { id: 'BN', type: 'batchnorm' }] },
    ops: ['Gemm'],
  },
  {
    name: 'conv with relu -> batchnorm: not folded (the activation sits between)',
    model: { input: [2, 6, 6], layers: [{ type: 'conv', filters: 3, kernel: 3, activation: 'relu' }, { id: 'BN', type: 'batchnorm' }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
    ops: ['Conv', 'Relu', 'BatchNormalization', 'Flatten', 'Gemm'],
  },
  {
    name: 'maxpool -> batchnorm: not folded',
    model: { input: [2, 6, 6], layers: [{ type: 'conv', filters: 3, kernel: 3 }, { type: 'maxpool', size: 2 }, { id: 'BN', type: 'batchnorm' }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
    ops: ['Conv', 'MaxPool', 'BatchNormalization', 'Flatten', 'Gemm'],
  },
];
for (const c of foldCases) {
  test(`${c.name}: writes [${c.ops}] and matches TensorFlow.js`, async () => {
    assert.deepEqual(opTypes(exportOnnx({ model: c.model, weights: randomWeights(c.model, 1), opset: 13, graphName: 'g', metadata: {} })), c.ops);
    await assertMatchesTf(c.model, { batches: [1, 3], seed: 5 });
  });
}
