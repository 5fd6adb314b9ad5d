import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, opTypes } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';
import { randomWeights } from '../testing/seeded';

const model: ModelSpec = {
  input: [8],
  layers: [
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 6, activation: 'relu' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 3 },
  ],
};

test('dropout is the identity at inference and writes no node', async () => {
  await assertMatchesTf(model);
  const { nodes } = decode(exportOnnx({ model, weights: randomWeights(model, 1), opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.opType), ['Gemm', 'Relu', 'Gemm']);
  assert.deepEqual(nodes[0].input[0], 'input');
  assert.deepEqual(nodes[2].input[0], 'dense1/Relu');
});

test('dropout as the last layer: the tensor before it becomes logits', async () => {
  await assertMatchesTf({ input: [8], layers: [{ type: 'dense', units: 3 }, { type: 'dropout', rate: 0.5 }] });
});

test('a model of dropout only writes one Identity from input to logits', async () => {
  const only: ModelSpec = { input: [5], layers: [{ type: 'dropout', rate: 0.1 }] };
  await assertMatchesTf(only);
  assert.deepEqual(opTypes(exportOnnx({ model: only, weights: {}, opset: 13, graphName: 'g', metadata: {} })), ['Identity']);
});
