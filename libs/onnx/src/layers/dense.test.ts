import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';
import { randomWeights } from '../testing/seeded';

function exported(model: ModelSpec) {
  const weights = randomWeights(model, 3);
  return { weights, ...decode(exportOnnx({ model, weights, opset: 13, graphName: 'g', metadata: {} })) };
}

test('dense x=[16] units=5 matches tf.matMul + bias', async () => {
  await assertMatchesTf({ input: [16], layers: [{ type: 'dense', units: 5 }] });
});

test('dense x=[16] units=5 bias=false matches tf.matMul and writes Gemm without C', async () => {
  const model: ModelSpec = { input: [16], layers: [{ type: 'dense', units: 5, bias: false }] };
  await assertMatchesTf(model);
  assert.deepEqual(exported(model).nodes[0].input, ['input', 'dense1/kernel']);
});

for (const activation of ['relu', 'tanh', 'sigmoid', 'linear'] as const) {
  test(`dense x=[10] units=8 activation=${activation} -> dense units=3`, async () => {
    await assertMatchesTf({
      input: [10],
      layers: [
        { type: 'dense', units: 8, activation },
        { type: 'dense', units: 3 },
      ],
    });
  });
}

test('dense is Gemm with B the trained [in, out] kernel transposed to [out, in], transB = 1, alpha = beta = 1 (as PyTorch writes Linear)', () => {
  const { nodes, initializers, weights } = exported({ input: [4], layers: [{ id: 'F1', type: 'dense', units: 2 }] });
  assert.equal(nodes[0].opType, 'Gemm');
  assert.deepEqual(nodes[0].input, ['input', 'F1/kernel', 'F1/bias']);
  assert.deepEqual(Object.fromEntries(nodes[0].attribute.map((a) => [a.name, a.name === 'transB' ? Number(a.i) : a.f])), { alpha: 1, beta: 1, transB: 1 });
  const kernel = initializers.find((t) => t.name === 'F1/kernel')!;
  assert.deepEqual(kernel.dims.map(Number), [2, 4]);
  const trained = weights['F1/kernel'].data; // [4, 2]
  assert.deepEqual(floatsOf(kernel), Float32Array.from({ length: 8 }, (_, k) => trained[(k % 4) * 2 + Math.floor(k / 4)]));
  assert.deepEqual(floatsOf(initializers.find((t) => t.name === 'F1/bias')!), weights['F1/bias'].data);
});
