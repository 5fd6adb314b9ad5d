import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ActivationName, ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { opTypes } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';

const ops: Record<ActivationName, string[]> = { relu: ['Relu'], tanh: ['Tanh'], sigmoid: ['Sigmoid'], linear: [] };

for (const [activation, expected] of Object.entries(ops) as [ActivationName, string[]][]) {
  test(`activation ${activation} on x=[2,5,5] matches TensorFlow.js and writes [${expected}]`, async () => {
    const model: ModelSpec = { input: [2, 5, 5], layers: [{ type: 'activation', activation }, { type: 'flatten' }] };
    await assertMatchesTf(model);
    const ops = opTypes(exportOnnx({ model, weights: {}, opset: 13, graphName: 'g', metadata: {} }));
    assert.deepEqual(ops, [...expected, 'Transpose', 'Flatten']);
  });
}

test('activation on a vector: dense x=[6] units=4 tanh -> activation sigmoid', async () => {
  await assertMatchesTf({
    input: [6],
    layers: [
      { type: 'dense', units: 4, activation: 'tanh' },
      { type: 'activation', activation: 'sigmoid' },
    ],
  });
});
