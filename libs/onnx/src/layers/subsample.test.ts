import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelSpec, SubsampleLayer } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';
import { randomWeights } from '../testing/seeded';

const cases: { name: string; input: [number, number, number]; subsample: Omit<SubsampleLayer, 'type'> }[] = [
  { name: 'x=[6,28,28] k=2 (S2)', input: [6, 28, 28], subsample: {} },
  { name: 'x=[16,10,10] k=2 scaled-tanh (S4)', input: [16, 10, 10], subsample: { size: 2, activation: 'scaled-tanh' } },
  { name: 'x=[2,7,7] k=2 sigmoid (last row and column dropped)', input: [2, 7, 7], subsample: { activation: 'sigmoid' } },
  { name: 'x=[3,9,8] k=[3,2] tanh', input: [3, 9, 8], subsample: { size: [3, 2], activation: 'tanh' } },
];
for (const c of cases) {
  test(`subsample ${c.name} matches TensorFlow.js`, async () => {
    await assertMatchesTf({ input: c.input, layers: [{ type: 'subsample', ...c.subsample }, { type: 'flatten' }] });
  });
}

test('subsample k=[3,2] writes AveragePool, Mul by coefficient * 6, Add bias, each [C, 1, 1]', () => {
  const model: ModelSpec = { input: [3, 9, 8], layers: [{ id: 'S2', type: 'subsample', size: [3, 2] }, { type: 'flatten' }] };
  const weights = randomWeights(model, 3);
  const { nodes, initializers } = decode(exportOnnx({ model, weights, opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.name).slice(0, 3), ['S2/AveragePool', 'S2/Mul', 'S2/Add']);
  const coefficient = initializers.find((t) => t.name === 'S2/coefficient')!;
  const bias = initializers.find((t) => t.name === 'S2/bias')!;
  assert.deepEqual(coefficient.dims.map(Number), [3, 1, 1]);
  assert.deepEqual(bias.dims.map(Number), [3, 1, 1]);
  assert.deepEqual(floatsOf(coefficient), weights['S2/coefficient'].data.map((v) => v * 6));
  assert.deepEqual(floatsOf(bias), weights['S2/bias'].data);
});

test('subsample with its initial parameters (coefficient 1/4, bias 0) is an average pool', async () => {
  const model: ModelSpec = { input: [2, 6, 6], layers: [{ id: 'S2', type: 'subsample' }, { type: 'flatten' }] };
  const weights = { 'S2/coefficient': { shape: [2], data: new Float32Array([0.25, 0.25]) }, 'S2/bias': { shape: [2], data: new Float32Array(2) } };
  await assertMatchesTf(model, { weights });
  await assertMatchesTf({ input: [2, 6, 6], layers: [{ type: 'avgpool', size: 2 }, { type: 'flatten' }] });
});
