import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel, size, type ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf, ints, opTypes } from '../testing/decode';
import { assertMatchesTf, maxAbsDiff, openSession, runLogits } from '../testing/ort';
import { randomWeights, seededRandom, uniform } from '../testing/seeded';
import { tfForward } from '../testing/tf-reference';

const convFlattenDense: ModelSpec = {
  input: [2, 7, 7],
  layers: [
    { id: 'C1', type: 'conv', filters: 4, kernel: 3, activation: 'relu' },
    { type: 'flatten' }, // [4, 5, 5] -> [100]
    { id: 'F2', type: 'dense', units: 6 },
  ],
};

test('conv -> flatten -> dense matches TensorFlow.js, which flattens NHWC (H, W, C order)', async () => {
  await assertMatchesTf(convFlattenDense, { batches: [1, 3, 2] });
});

test('conv -> flatten -> dense: flattening in NCHW order would give different logits (the test can see the layout trap)', async () => {
  const weights = randomWeights(convFlattenDense, 7);
  const images = uniform(2 * size(convFlattenDense.input), seededRandom(8));
  const session = await openSession(exportOnnx({ model: convFlattenDense, weights, opset: 13, graphName: 'g', metadata: {} }));
  const got = (await runLogits(session, images, [2, ...convFlattenDense.input])).data as Float32Array;
  await session.release();

  // The same dense kernel with its rows taken in (C, H, W) order: what an NCHW Flatten before the trained kernel computes.
  const [c, h, w] = [4, 5, 5];
  const kernel = weights['F2/kernel'];
  const units = kernel.shape[1];
  const permuted = new Float32Array(kernel.data.length);
  for (let ci = 0; ci < c; ci++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let u = 0; u < units; u++) permuted[((ci * h + y) * w + x) * units + u] = kernel.data[((y * w + x) * c + ci) * units + u];
  const nchwFlatten = await tfForward(convFlattenDense, { ...weights, 'F2/kernel': { shape: kernel.shape, data: permuted } }, images, 2);
  const right = await tfForward(convFlattenDense, weights, images, 2);
  assert.ok(maxAbsDiff(got, right) <= 1e-4);
  assert.ok(maxAbsDiff(got, nchwFlatten) > 1e-2, 'an NCHW flatten should not match');
});

test('flatten of [C>1, H, W] before a dense writes a plain Flatten (NCHW order) and the dense weight reads its rows in that order', () => {
  const weights = randomWeights(convFlattenDense, 1);
  const { nodes, initializers } = decode(exportOnnx({ model: convFlattenDense, weights, opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.opType), ['Conv', 'Relu', 'Flatten', 'Gemm']);
  const [c, h, w] = [4, 5, 5];
  const kernel = weights['F2/kernel']; // [h * w * c, 6], rows in (H, W, C) order
  const written = floatsOf(initializers.find((t) => t.name === 'F2/kernel')!); // [6, c * h * w]
  for (let u = 0; u < 6; u++)
    for (let ci = 0; ci < c; ci++)
      for (let p = 0; p < h * w; p++) assert.equal(written[u * c * h * w + ci * h * w + p], kernel.data[(p * c + ci) * 6 + u]);
});

const flattenThenVector: ModelSpec = {
  input: [3, 4, 4],
  layers: [
    { type: 'maxpool', size: 2, padding: 'same' }, // [3, 2, 2]
    { type: 'flatten' }, // [12]
    { id: 'BN', type: 'batchnorm' },
    { type: 'activation', activation: 'tanh' },
    { type: 'dropout', rate: 0.5 },
    { type: 'flatten' },
    { id: 'F', type: 'dense', units: 5, bias: false },
  ],
};

test('flatten of [3,2,2] -> batchnorm -> activation -> dropout -> flatten -> dense: the order is carried to the dense, the batchnorm reads its tensors in it', async () => {
  await assertMatchesTf(flattenThenVector, { batches: [1, 3] });
  const weights = randomWeights(flattenThenVector, 2);
  const { nodes, initializers } = decode(exportOnnx({ model: flattenThenVector, weights, opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.opType), ['MaxPool', 'Flatten', 'BatchNormalization', 'Tanh', 'Flatten', 'Gemm']);
  const gamma = floatsOf(initializers.find((t) => t.name === 'BN/gamma')!);
  // (C, H, W) position c * 4 + p holds TensorFlow.js's (H, W, C) position p * 3 + c.
  for (let c = 0; c < 3; c++) for (let p = 0; p < 4; p++) assert.equal(gamma[c * 4 + p], weights['BN/gamma'].data[p * 3 + c]);
});

test('flatten of [C>1, H, W] with no dense after it (the vector is the output) keeps Transpose(perm 0,2,3,1) before Flatten', async () => {
  const model: ModelSpec = { input: [2, 3, 3], layers: [{ type: 'maxpool', size: 1 }, { type: 'flatten' }, { type: 'batchnorm' }, { type: 'activation', activation: 'sigmoid' }] };
  await assertMatchesTf(model, { batches: [2] });
  const bytes = exportOnnx({ model, weights: randomWeights(model, 1), opset: 13, graphName: 'g', metadata: {} });
  assert.deepEqual(opTypes(bytes), ['MaxPool', 'Transpose', 'Flatten', 'BatchNormalization', 'Sigmoid']);
  assert.deepEqual(ints(decode(bytes).nodes[1].attribute.find((a) => a.name === 'perm')), [0, 2, 3, 1]);
});

test('flatten of [1, H, W] and of [C, 1, 1] needs no Transpose: both layouts give the same order', async () => {
  const oneChannel: ModelSpec = { input: [1, 6, 5], layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }] };
  const onePixel: ModelSpec = { input: [1, 5, 5], layers: [{ type: 'conv', filters: 7, kernel: 5 }, { type: 'flatten' }, { type: 'dense', units: 3 }] };
  for (const model of [oneChannel, onePixel]) {
    assert.ok(!opTypes(exportOnnx({ model, weights: randomWeights(model, 1), opset: 13, graphName: 'g', metadata: {} })).includes('Transpose'));
    await assertMatchesTf(model);
  }
  assert.deepEqual(describeModel(onePixel).layers[1].outputShape, [7]);
});

test('flatten of a vector input [D] is the identity', async () => {
  await assertMatchesTf({ input: [12], layers: [{ type: 'flatten' }, { type: 'dense', units: 4 }] });
});
