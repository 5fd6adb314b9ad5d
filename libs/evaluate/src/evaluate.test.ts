import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ModelSpec } from '../../graph';
import { exportOnnx } from '../../onnx';
import { EvaluateError, ParityError } from './errors';
import { evaluateOnnx, type EvaluateOnnxOptions } from './evaluate';
import { assertParity } from './parity';

const dir = mkdtempSync(join(tmpdir(), 'trainyard-evaluate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Images [1, 1, 4] -> flatten -> dense with the identity kernel: the logits are the pixels, so every number below is checkable by hand.
const classes = ['a', 'b', 'c', 'd'];
const model: ModelSpec = { input: [1, 1, 4], layers: [{ type: 'flatten' }, { id: 'F1', type: 'dense', units: 4 }] };
const identity = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
const modelPath = join(dir, 'model.onnx');
writeFileSync(
  modelPath,
  exportOnnx({
    model,
    weights: { 'F1/kernel': { shape: [4, 4], data: identity }, 'F1/bias': { shape: [4], data: new Float32Array(4) } },
    opset: 13,
    graphName: 'identity',
    metadata: {},
  }),
);

// Class d is never a label and never predicted (its logit is always -10).
const samples: { logits: number[]; label: number }[] = [
  { logits: [2, 0, 0, -10], label: 0 }, // -> a, right
  { logits: [0, 3, 1, -10], label: 1 }, // -> b, right
  { logits: [0, 1, 2, -10], label: 1 }, // -> c, wrong
  { logits: [0, 1, 0.5, -10], label: 2 }, // -> b, wrong
  { logits: [0, 0, 5, -10], label: 2 }, // -> c, right
  { logits: [4, 1, 1, -10], label: 0 }, // -> a, right
  { logits: [0, 2, 0, -10], label: 0 }, // -> b, wrong
];
const images = Float32Array.from(samples.flatMap((s) => s.logits));
const labels = Uint8Array.from(samples.map((s) => s.label));

function options(overrides: Partial<EvaluateOnnxOptions> = {}): EvaluateOnnxOptions {
  return {
    modelPath,
    images,
    labels,
    count: samples.length,
    imageShape: [1, 1, 4],
    classes,
    probe: { indices: [6, 0, 3], logits: [samples[6].logits, samples[0].logits, samples[3].logits] },
    tolerance: 1e-4,
    batchSize: 3,
    ...overrides,
  };
}

test('accuracy, confusion [true][predicted] and per-class precision/recall on 7 hand-checked images', async () => {
  const progress: [number, number][] = [];
  const m = await evaluateOnnx(options({ onProgress: (done, total) => progress.push([done, total]) }));
  assert.deepEqual(progress, [[3, 7], [6, 7], [7, 7]]);
  assert.equal(m.samples, 7);
  assert.equal(m.accuracy, 4 / 7);
  assert.deepEqual(m.classes, classes);
  assert.deepEqual(m.confusion, [
    [2, 1, 0, 0],
    [0, 1, 1, 0],
    [0, 1, 1, 0],
    [0, 0, 0, 0],
  ]);
  assert.deepEqual(m.perClass, [
    { class: 'a', precision: 1, recall: 2 / 3, support: 3 },
    { class: 'b', precision: 1 / 3, recall: 1 / 2, support: 2 },
    { class: 'c', precision: 1 / 2, recall: 1 / 2, support: 2 },
    { class: 'd', precision: 0, recall: 0, support: 0 },
  ]);
  assert.match(m.runtime, /^onnxruntime-node 1\.30\.0 /);
});

test('loss is the mean of -log softmax(logits)[label]', async () => {
  const m = await evaluateOnnx(options());
  const expected =
    samples.reduce((sum, { logits, label }) => sum + Math.log(logits.reduce((s, z) => s + Math.exp(z), 0)) - logits[label], 0) / samples.length;
  assert.ok(Math.abs(m.loss - expected) < 1e-6, `${m.loss} vs ${expected}`);
});

test('batch sizes 1, 2, 7 and the default give the same metrics', async () => {
  const reference = await evaluateOnnx(options());
  for (const batchSize of [1, 2, 7, undefined]) {
    const m = await evaluateOnnx(options({ batchSize }));
    assert.deepEqual({ ...m, loss: 0 }, { ...reference, loss: 0 });
    assert.ok(Math.abs(m.loss - reference.loss) < 1e-6);
  }
});

test('parity passes when the probe holds the logits onnxruntime computes', async () => {
  const { parity } = await evaluateOnnx(options());
  assert.deepEqual(parity, { probeSize: 3, tolerance: 1e-4, maxAbsDiff: 0, maxScaledDiff: 0, at: [0, 0], argmaxAgree: true, argmaxAgreeCount: 3, ok: true });
  assertParity(parity);
});

test('perturbed probe logits fail parity with the largest difference named', async () => {
  const probe = options().probe;
  const perturbed = { indices: probe.indices, logits: probe.logits.map((row) => [...row]) };
  perturbed.logits[1][2] += 0.0032;
  perturbed.logits[2][0] += 0.00005;
  const { parity } = await evaluateOnnx(options({ probe: perturbed }));
  assert.equal(parity.ok, false);
  assert.deepEqual(parity.at, [1, 2]);
  assert.ok(Math.abs(parity.maxAbsDiff - 0.0032) < 1e-6);
  assert.throws(() => assertParity(parity), (e: unknown) => {
    assert.ok(e instanceof ParityError);
    assert.equal(e.code, 'TY_PARITY');
    assert.equal(e.message, "ONNX logits differ from TensorFlow.js: max |diff| 3.2e-3 at probe 1, class 2; 3.2e-4 relative to the row's scale (tolerance 1e-4); argmax agrees on 3 of 3");
    return true;
  });

  perturbed.logits[0][2] += 5; // probe 0 (image 6) now says c instead of b
  const flipped = (await evaluateOnnx(options({ probe: perturbed }))).parity;
  assert.throws(() => assertParity(flipped), /max \|diff\| 5 at probe 0, class 2; 0.5 relative to the row's scale \(tolerance 1e-4\); argmax agrees on 2 of 3$/);
});

test('inputs that do not fit are refused with EvaluateError', async () => {
  const refused = (overrides: Partial<EvaluateOnnxOptions>, message: RegExp) =>
    assert.rejects(evaluateOnnx(options(overrides)), (e: unknown) => e instanceof EvaluateError && e.code === 'TY_EVALUATE' && message.test(e.message));
  await refused({ imageShape: [1, 2, 2] }, /reads input \[batch, 1, 1, 4\], the test images are \[1, 2, 2\]/);
  await refused({ classes: ['a', 'b', 'c'], labels: Uint8Array.from([0, 1, 1, 2, 2, 0, 0]), probe: { indices: [0], logits: [[2, 0, 0]] } }, /outputs 4 logits per image, the dataset has 3 classes/);
  await refused({ labels: Uint8Array.from([0, 1, 1, 2, 4, 0, 0]) }, /label 4 of test image 4 is not a class index/);
  await refused({ probe: { indices: [7], logits: [[0, 0, 0, 0]] } }, /index 7 \(probe 0\) is outside the 7 test images/);
  await refused({ probe: { indices: [], logits: [] } }, /no probe images/);
  await refused({ count: 8 }, /images hold 28 floats, 8 images of \[1, 1, 4\] need 32/);
  await refused({ batchSize: 0 }, /batchSize must be a whole number >= 1/);
  await refused({ modelPath: join(dir, 'missing.onnx') }, /cannot load .*missing\.onnx/);
});
