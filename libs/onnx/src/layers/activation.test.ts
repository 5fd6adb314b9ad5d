import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ActivationName, ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf, opTypes } from '../testing/decode';
import { assertMatchesTf, openSession, runLogits } from '../testing/ort';
import { randomWeights } from '../testing/seeded';

const ops: Record<ActivationName, string[]> = { relu: ['Relu'], tanh: ['Tanh'], sigmoid: ['Sigmoid'], 'scaled-tanh': ['Mul', 'Tanh', 'Mul'], linear: [] };

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

test('scaled-tanh writes A tanh(S a) with scalar initializers A = 1.7159 and S = 2/3, f(1) = 1 to 1e-4', async () => {
  const model: ModelSpec = { input: [4], layers: [{ id: 'F', type: 'dense', units: 3, activation: 'scaled-tanh' }] };
  await assertMatchesTf(model, { batches: [1, 5] });
  const { nodes, initializers } = decode(exportOnnx({ model, weights: randomWeights(model, 2), opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.name), ['F/Gemm', 'F/ScaledTanh/MulS', 'F/ScaledTanh/Tanh', 'F/ScaledTanh/MulA']);
  const scalar = (name: string) => {
    const t = initializers.find((i) => i.name === name)!;
    assert.deepEqual(t.dims, []);
    return floatsOf(t)[0];
  };
  assert.equal(scalar('F/ScaledTanh/A'), Math.fround(1.7159));
  assert.equal(scalar('F/ScaledTanh/S'), Math.fround(2 / 3));
  // LeCun's choice of A and S: f(±1) = ±1, f(0) = 0, as onnxruntime computes the exported file.
  const alone: ModelSpec = { input: [3], layers: [{ type: 'activation', activation: 'scaled-tanh' }] };
  const session = await openSession(exportOnnx({ model: alone, weights: {}, opset: 13, graphName: 'g', metadata: {} }));
  const out = Array.from((await runLogits(session, Float32Array.from([1, -1, 0]), [1, 3])).data as Float32Array);
  await session.release();
  out.forEach((v, i) => assert.ok(Math.abs(v - [1, -1, 0][i]) < 1e-4, `f(${[1, -1, 0][i]}) = ${v}`));
});
