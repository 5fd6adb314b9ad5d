import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode } from '../testing/decode';
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
function withStats(model: ModelSpec, mean: number[], variance: number[], seed = 1) {
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

test('batchnorm writes one BatchNormalization (epsilon, momentum as floats) reading gamma, beta and the moving stats', () => {
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
