import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { describeModel, type ModelSpec } from '../../graph';
import { exportOnnx, irVersionFor } from './export';
import { OnnxExportError } from './errors';
import { decode, opTypes } from './testing/decode';
import { assertMatchesTf, maxAbsDiff, openSession, runLogits, runLogitsWeb } from './testing/ort';
import { randomWeights } from './testing/seeded';
import { LENET_BN_DROPOUT } from './testing/models';

const lenet5: ModelSpec = {
  input: [1, 32, 32],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 5, activation: 'tanh' }, // [6, 28, 28]
    { id: 'S2', type: 'avgpool', size: 2 }, // [6, 14, 14]
    { id: 'C3', type: 'conv', filters: 16, kernel: 5, activation: 'tanh' }, // [16, 10, 10]
    { id: 'S4', type: 'avgpool', size: 2 }, // [16, 5, 5]
    { id: 'C5', type: 'conv', filters: 120, kernel: 5, activation: 'tanh' }, // [120, 1, 1]
    { type: 'flatten' }, // [120]
    { id: 'F6', type: 'dense', units: 84, activation: 'tanh' },
    { id: 'OUT', type: 'dense', units: 10 },
  ],
};

const metadata = { pipeline: 'lenet-l2', run: '2026-11-21T10:00:00Z', classes: '0,1,2,3,4,5,6,7,8,9', preprocessing: 'pad 32; (x - 0.1307) / 0.3081' };

function exportLenet(opset = 13): Uint8Array {
  return exportOnnx({ model: lenet5, weights: randomWeights(lenet5, 5), opset, graphName: 'lenet-l2', metadata });
}

/** The Debian python3-onnx, when present: a checker written by the ONNX project itself. */
function pythonWithOnnx(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}
const python = pythonWithOnnx();

test('LeNet-5 x=[1,32,32] matches TensorFlow.js for batch 1, 3 and 8 in one session', async () => {
  await assertMatchesTf(lenet5, { batches: [1, 3, 8], seed: 11 });
});

test('LeNet-5 reads like the YAML: initializers named as the weights, nodes named <layer>/<Op>', () => {
  const { nodes, initializers, graph } = decode(exportLenet());
  const params = describeModel(lenet5).layers.flatMap((l) => l.params);
  assert.deepEqual(initializers.map((t) => t.name), params.map((p) => p.name));
  assert.deepEqual(initializers.find((t) => t.name === 'C3/kernel')!.dims.map(Number), [16, 6, 5, 5]);
  assert.deepEqual(nodes.map((n) => n.name), [
    'C1/Conv', 'C1/Tanh', 'S2/AveragePool', 'C3/Conv', 'C3/Tanh', 'S4/AveragePool', 'C5/Conv', 'C5/Tanh',
    'flatten1/Flatten', 'F6/Gemm', 'F6/Tanh', 'OUT/Gemm',
  ]);
  assert.equal(graph.name, 'lenet-l2');
  assert.deepEqual(nodes.at(-1)!.output, ['logits']);
});

test('input is float32 [batch, 1, 32, 32] and output float32 [batch, 10], batch symbolic', async () => {
  const session = await openSession(exportLenet());
  try {
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['logits']);
    assert.deepEqual(session.inputMetadata[0], { name: 'input', isTensor: true, type: 'float32', shape: ['batch', 1, 32, 32] });
    assert.deepEqual(session.outputMetadata[0], { name: 'logits', isTensor: true, type: 'float32', shape: ['batch', 10] });
    for (const batch of [1, 3]) {
      const logits = await runLogits(session, new Float32Array(batch * 1024), [batch, 1, 32, 32]);
      assert.deepEqual(logits.dims, [batch, 10]);
    }
  } finally {
    await session.release();
  }
});

test('metadata, producer, opset and IR version round-trip', () => {
  const { model } = decode(exportLenet());
  assert.deepEqual(Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value])), metadata);
  assert.deepEqual(model.metadataProps.map((p) => p.key), Object.keys(metadata));
  assert.equal(model.producerName, 'trainyard');
  assert.equal(Number(model.irVersion), 7);
  assert.deepEqual(model.opsetImport.map((o) => [o.domain, Number(o.version)]), [['', 13]]);
});

test('the same model and weights give the same bytes (a stable file for the stage cache)', () => {
  assert.deepEqual(exportLenet(), exportLenet());
});

test('opsets 13 to 21 each get their IR version and give the same logits in onnxruntime-node and onnxruntime-web', async () => {
  const expected: Record<number, number> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };
  const images = Float32Array.from({ length: 3 * 1024 }, (_, i) => Math.sin(i * 0.37) * 2);
  const dims = [3, 1, 32, 32];
  for (let opset = 13; opset <= 21; opset++) {
    assert.equal(irVersionFor(opset), expected[opset]);
    const bytes = exportLenet(opset);
    assert.equal(Number(decode(bytes).model.irVersion), expected[opset]);
    const session = await openSession(bytes);
    const node = await runLogits(session, images, dims);
    await session.release();
    assert.deepEqual(node.dims, [3, 10]);
    const web = await runLogitsWeb(bytes, images, dims);
    assert.ok(maxAbsDiff(node.data as Float32Array, web) < 1e-5, `opset ${opset}: onnxruntime-web differs by ${maxAbsDiff(node.data as Float32Array, web)}`);
  }
});

test('ONNX checker (python onnx, full_check) accepts LeNet-5 at every opset from 13 that it knows', { skip: python ? false : 'python3 cannot import onnx' }, (t) => {
  const script = [
    'import sys, onnx',
    'm = onnx.load_from_string(sys.stdin.buffer.read())',
    'onnx.checker.check_model(m, full_check=True)',
    'print(m.graph.output[0].type.tensor_type.shape.dim[0].dim_param)',
  ].join('\n');
  // Debian's python3-onnx 1.12 knows opsets up to 17; a newer onnx checks the rest of 13-21 too.
  const known = Number(spawnSync(python!, ['-c', 'import onnx; print(onnx.defs.onnx_opset_version())'], { encoding: 'utf8' }).stdout.trim());
  const last = Math.min(21, known);
  if (last < 21) t.diagnostic(`this onnx knows opsets up to ${known}: ${last + 1}-21 are run by onnxruntime only`);
  for (let opset = 13; opset <= last; opset++) {
    const run = spawnSync(python!, ['-c', script], { input: exportLenet(opset), encoding: 'utf8' });
    assert.equal(run.status, 0, `opset ${opset}: ${run.stderr}`);
    assert.equal(run.stdout.trim(), 'batch');
  }
});

test('a model with dropout, maxpool same and relu passes the checker too', { skip: python ? false : 'python3 cannot import onnx' }, () => {
  const model: ModelSpec = {
    input: [3, 11, 11],
    layers: [
      { type: 'conv', filters: 4, kernel: 3, stride: 2, padding: 'same', bias: false, activation: 'relu' },
      { type: 'maxpool', size: 2, padding: 'same' },
      { type: 'dropout', rate: 0.3 },
      { type: 'flatten' },
      { type: 'dense', units: 5, activation: 'sigmoid' },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 3 },
    ],
  };
  const bytes = exportOnnx({ model, weights: randomWeights(model, 2), opset: 13, graphName: 'mixed', metadata: {} });
  assert.deepEqual(opTypes(bytes), ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Sigmoid', 'Tanh', 'Gemm']);
  const run = spawnSync(python!, ['-c', 'import sys, onnx; onnx.checker.check_model(onnx.load_from_string(sys.stdin.buffer.read()), full_check=True)'], { input: bytes, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

test('LeNet-5 with batchnorm and dropout is written as PyTorch writes it: no Transpose, Dropout, folded BatchNormalization', () => {
  const { nodes, initializers } = decode(exportOnnx({ model: LENET_BN_DROPOUT, weights: randomWeights(LENET_BN_DROPOUT, 3), opset: 13, graphName: 'g', metadata: {} }));
  assert.deepEqual(nodes.map((n) => n.name), [
    'C1/Conv', 'activation1/Relu', 'S2/MaxPool', 'C3/Conv', 'C3/Tanh', 'S4/AveragePool', 'BN4/BatchNormalization', 'flatten1/Flatten',
    'F5/Gemm', 'activation2/Relu', 'F6/Gemm', 'F6/Relu', 'OUT/Gemm',
  ]);
  const dims = (name: string) => initializers.find((t) => t.name === name)!.dims.map(Number);
  assert.deepEqual(nodes[0].input, ['input', 'C1/kernel', 'C1/bias'], 'C1 gains a bias from BN1');
  assert.deepEqual(dims('C1/bias'), [6]);
  assert.ok(!initializers.some((t) => /^BN[15]\//.test(t.name)), 'BN1 and BN5 are folded');
  for (const [gemm, shape] of [['F5', [120, 144]], ['F6', [84, 120]], ['OUT', [10, 84]]] as const) {
    const node = nodes.find((n) => n.name === `${gemm}/Gemm`)!;
    const attributes = Object.fromEntries(node.attribute.map((a) => [a.name, a.name === 'transB' ? Number(a.i) : a.f]));
    assert.deepEqual(attributes, { alpha: 1, beta: 1, transB: 1 }, gemm);
    assert.deepEqual(node.input, [node.input[0], `${gemm}/kernel`, `${gemm}/bias`]);
    assert.deepEqual(dims(`${gemm}/kernel`), shape, `${gemm}: weight [out, in]`);
    assert.deepEqual(dims(`${gemm}/bias`), [shape[0]]);
  }
});

test('LeNet-5 with batchnorm and dropout, and LeNet-5 1998, match TensorFlow.js at every opset from 13 to 21', async () => {
  for (let opset = 13; opset <= 21; opset++) {
    await assertMatchesTf(LENET_BN_DROPOUT, { batches: [2], seed: 21, opset });
    await assertMatchesTf(lenet1998, { batches: [2], seed: 22, opset });
  }
});

test('ONNX checker (python onnx, full_check) accepts LeNet-5 with batchnorm and dropout at every opset from 13 that it knows', { skip: python ? false : 'python3 cannot import onnx' }, () => {
  const script = 'import sys, onnx; onnx.checker.check_model(onnx.load_from_string(sys.stdin.buffer.read()), full_check=True)';
  const known = Number(spawnSync(python!, ['-c', 'import onnx; print(onnx.defs.onnx_opset_version())'], { encoding: 'utf8' }).stdout.trim());
  for (let opset = 13; opset <= Math.min(21, known); opset++) {
    const run = spawnSync(python!, ['-c', script], { input: exportOnnx({ model: LENET_BN_DROPOUT, weights: randomWeights(LENET_BN_DROPOUT, 3), opset, graphName: 'g', metadata: {} }), encoding: 'utf8' });
    assert.equal(run.status, 0, `opset ${opset}: ${run.stderr}`);
  }
});

/** LeNet-5 as published (subsampling S2/S4, C3's partial table, scaled tanh), with batchnorm after C1 and F6. */
const lenet1998: ModelSpec = {
  input: [1, 32, 32],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 5 }, // [6, 28, 28]
    { id: 'BN1', type: 'batchnorm' },
    { type: 'activation', activation: 'scaled-tanh' },
    { id: 'S2', type: 'subsample', size: 2, activation: 'scaled-tanh' }, // [6, 14, 14]
    { id: 'C3', type: 'conv', filters: 16, kernel: 5, connections: 'lecun1998', activation: 'scaled-tanh' }, // [16, 10, 10]
    { id: 'S4', type: 'subsample', size: 2, activation: 'sigmoid' }, // [16, 5, 5]
    { id: 'C5', type: 'conv', filters: 120, kernel: 5, activation: 'scaled-tanh' }, // [120, 1, 1]
    { type: 'flatten' }, // [120]
    { id: 'F6', type: 'dense', units: 84, activation: 'scaled-tanh' },
    { id: 'BN2', type: 'batchnorm', momentum: 0.99, epsilon: 1e-3 },
    { id: 'OUT', type: 'dense', units: 10 },
  ],
};

function exportLenet1998(opset = 13): Uint8Array {
  return exportOnnx({ model: lenet1998, weights: randomWeights(lenet1998, 6), opset, graphName: 'lenet-1998', metadata });
}

test('LeNet-5 1998 with batchnorm x=[1,32,32] matches TensorFlow.js for batch 1 and 4', async () => {
  await assertMatchesTf(lenet1998, { batches: [1, 4], seed: 12 });
});

test('LeNet-5 1998 with batchnorm: BN1 folded into C1, BN2 (after an activation) an initializer of each name; 60,850 + 180 parameters', () => {
  const { nodes, initializers } = decode(exportLenet1998());
  const summary = describeModel(lenet1998);
  const names = initializers.map((t) => t.name);
  const params = summary.layers.flatMap((l) => l.params.map((p) => p.name));
  assert.deepEqual(names.filter((n) => !n.includes('/ScaledTanh/')), params.filter((n) => !n.startsWith('BN1/')));
  assert.ok(params.includes('BN1/moving_mean') && params.includes('BN2/moving_variance'));
  assert.equal(summary.paramCount, 60_850 + 2 * 6 + 2 * 84);
  assert.deepEqual([...new Set(nodes.map((n) => n.opType))].sort(), ['Add', 'AveragePool', 'BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'Mul', 'Sigmoid', 'Tanh']);
  assert.deepEqual(nodes.filter((n) => n.opType === 'BatchNormalization').map((n) => n.name), ['BN2/BatchNormalization']);
  assert.equal(nodes.find((n) => n.name === 'C1/Conv')!.docString, 'C1 with BN1 folded in');
});

test('LeNet-5 1998 weights without the moving statistics are refused, naming them', () => {
  const { ['BN1/moving_mean']: _, ...missing } = randomWeights(lenet1998, 1);
  assert.throws(
    () => exportOnnx({ model: lenet1998, weights: missing, opset: 13, graphName: 'g', metadata: {} }),
    (e: unknown) => e instanceof OnnxExportError && /'BN1\/moving_mean' is missing \(the model declares it with shape \[6\]\)/.test(e.message),
  );
});

test('ONNX checker (python onnx, full_check) accepts LeNet-5 1998 with batchnorm at opset 13 and 17', { skip: python ? false : 'python3 cannot import onnx' }, () => {
  const script = 'import sys, onnx; onnx.checker.check_model(onnx.load_from_string(sys.stdin.buffer.read()), full_check=True)';
  for (const opset of [13, 17]) {
    const run = spawnSync(python!, ['-c', script], { input: exportLenet1998(opset), encoding: 'utf8' });
    assert.equal(run.status, 0, `opset ${opset}: ${run.stderr}`);
  }
});

test('weights that do not fit the model are refused with the parameter named', () => {
  const weights = randomWeights(lenet5, 1);
  const attempt = (w: typeof weights, opset = 13) => () => exportOnnx({ model: lenet5, weights: w, opset, graphName: 'g', metadata: {} });
  const { ['C3/bias']: _, ...missing } = weights;
  assert.throws(attempt(missing), (e: unknown) => e instanceof OnnxExportError && e.code === 'TY_EXPORT' && /'C3\/bias' is missing/.test(e.message));
  const transposed = { ...weights, 'F6/kernel': { shape: [84, 120], data: weights['F6/kernel'].data } };
  assert.throws(attempt(transposed), /'F6\/kernel' has shape \[84, 120\], the model declares \[120, 84\]/);
  const short = { ...weights, 'OUT/bias': { shape: [10], data: new Float32Array(9) } };
  assert.throws(attempt(short), /'OUT\/bias' holds 9 values/);
  const extra = { ...weights, 'F7/kernel': { shape: [1], data: new Float32Array(1) } };
  assert.throws(attempt(extra), /'F7\/kernel' not declared by the model/);
  assert.throws(attempt(weights, 12), /opset: must be an integer from 13 to 21 \(got 12\)/);
  assert.throws(attempt(weights, 13.5), OnnxExportError);
});

test('a model whose last layer is not a vector of logits is refused', () => {
  const model: ModelSpec = { input: [1, 4, 4], layers: [{ type: 'conv', filters: 2, kernel: 3 }] };
  assert.throws(
    () => exportOnnx({ model, weights: randomWeights(model, 1), opset: 13, graphName: 'g', metadata: {} }),
    /last layer must output class logits \[classes\], got \[2, 2, 2\]/,
  );
});
