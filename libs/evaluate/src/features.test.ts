import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import seedrandom from 'seedrandom';
import type { ModelSpec } from '../../graph';
import { exportOnnx } from '../../onnx';
import { embed } from './embed';
import { EvaluateError } from './errors';
import { testFeatures, withFeatureOutput } from './features';

const dir = mkdtempSync(join(tmpdir(), 'trainyard-features-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Images [1, 1, 3] -> H1 (relu, 2 units) -> OUT (3 logits): the features are relu(x · K1 + b1), checkable by hand.
const model: ModelSpec = { input: [1, 1, 3], layers: [{ type: 'flatten' }, { id: 'H1', type: 'dense', units: 2, activation: 'relu' }, { id: 'OUT', type: 'dense', units: 3 }] };
const k1 = Float32Array.from([1, 0, 0, 1, -1, 1]); // [3, 2]: h0 = x0 - x2, h1 = x1 + x2
const b1 = Float32Array.from([0, -1]);
const k2 = Float32Array.from([1, 0, 0, 0, 1, 0]); // [2, 3]: logits = [h0, h1, 0]
const modelPath = join(dir, 'model.onnx');
writeFileSync(
  modelPath,
  exportOnnx({
    model,
    weights: { 'H1/kernel': { shape: [3, 2], data: k1 }, 'H1/bias': { shape: [2], data: b1 }, 'OUT/kernel': { shape: [2, 3], data: k2 }, 'OUT/bias': { shape: [3], data: new Float32Array(3) } },
    opset: 13,
    graphName: 'two-dense',
    metadata: {},
  }),
);

test("the features are the classifier's input, after the activation, and the predictions follow the logits", async () => {
  const images = Float32Array.from([3, 1, 1, 0, 2, 1, -2, -2, 0]);
  const got = await testFeatures({ modelPath, images, count: 3, imageShape: [1, 1, 3], batchSize: 2 });
  assert.equal(got.width, 2);
  assert.match(got.tensor, /^H1\//);
  // [3-1, 1+1-1] = [2, 1]; [0-1, 2+1-1] -> relu [0, 2]; [-2-0, -2+0-1] -> [0, 0]
  assert.deepEqual(Array.from(got.features), [2, 1, 0, 2, 0, 0]);
  assert.deepEqual(Array.from(got.predicted), [0, 1, 0]);
});

test('a batchnorm folded into the dense before it: the features keep that layer\'s name (H1/Gemm) and are the batchnorm\'s output', async () => {
  // H1 (no activation) -> BN -> dropout -> OUT: the export folds BN into H1 and writes no dropout, so OUT reads H1/Gemm.
  const folded: ModelSpec = {
    input: [1, 1, 3],
    layers: [{ type: 'flatten' }, { id: 'H1', type: 'dense', units: 2 }, { id: 'BN', type: 'batchnorm', epsilon: 0.5 }, { type: 'dropout', rate: 0.5 }, { id: 'OUT', type: 'dense', units: 3 }],
  };
  const path = join(dir, 'folded.onnx');
  const stats = (values: number[]) => ({ shape: [2], data: Float32Array.from(values) });
  const weights = {
    'H1/kernel': { shape: [3, 2], data: k1 },
    'H1/bias': { shape: [2], data: b1 },
    // BN(h) = [2 (h0 - 0) / sqrt(0.5 + 0.5) + 1, (h1 - 1) / sqrt(3.5 + 0.5)]
    'BN/gamma': stats([2, 1]),
    'BN/beta': stats([1, 0]),
    'BN/moving_mean': stats([0, 1]),
    'BN/moving_variance': stats([0.5, 3.5]),
    'OUT/kernel': { shape: [2, 3], data: k2 },
    'OUT/bias': { shape: [3], data: new Float32Array(3) },
  };
  writeFileSync(path, exportOnnx({ model: folded, weights, opset: 13, graphName: 'folded', metadata: {} }));
  const got = await testFeatures({ modelPath: path, images: Float32Array.from([3, 1, 1, 0, 2, 1, -2, -2, 0]), count: 3, imageShape: [1, 1, 3] });
  assert.equal(got.tensor, 'H1/Gemm');
  // h = [2, 1], [-1, 2], [-2, -3]
  assert.deepEqual(Array.from(got.features), [5, 0, -1, 0.5, -3, -2]);
  assert.deepEqual(Array.from(got.predicted), [0, 1, 2]);
});

test('a model whose last weights read a feature map, not a vector, is refused in one line', () => {
  // A 1x1 convolution to the classes, then flatten: the last weighted node reads [batch, 1, 1, 2].
  const conv: ModelSpec = { input: [2, 1, 1], layers: [{ id: 'C', type: 'conv', filters: 3, kernel: 1 }, { type: 'flatten' }] };
  const bytes = exportOnnx({ model: conv, weights: { 'C/kernel': { shape: [1, 1, 2, 3], data: new Float32Array(6) }, 'C/bias': { shape: [3], data: new Float32Array(3) } }, opset: 13, graphName: 'conv', metadata: {} });
  assert.throws(() => withFeatureOutput(bytes, 'm.onnx'), (e: Error) => e instanceof EvaluateError && /^m\.onnx: the last layer with weights \(C\/Conv\) reads 'input' of shape \[batch, 2, 1, 1\], not a vector/.test(e.message));
});

// Two clusters far apart, 40 points each, each point jittered.
const jitter = seedrandom('clusters');
const clusters = Float32Array.from({ length: 80 * 4 }, (_, i) => (Math.floor(i / 4) < 40 ? 0 : 10) + jitter());

test('the same points and seed give the same map; another seed another map', () => {
  const a = embed(clusters, 4, { neighbors: 10, seed: 1 });
  assert.deepEqual(embed(clusters, 4, { neighbors: 10, seed: 1 }), a);
  assert.notDeepEqual(embed(clusters, 4, { neighbors: 10, seed: 2 }), a);
  assert.equal(a.length, 160);
});

test('points near each other stay near, clusters apart stay apart', () => {
  const xy = embed(clusters, 4, { neighbors: 10, seed: 1 });
  const centre = (from: number) => [0, 1].map((d) => Array.from({ length: 40 }, (_, i) => xy[2 * (from + i) + d]).reduce((s, v) => s + v, 0) / 40);
  const spread = (from: number, c: number[]) => Math.max(...Array.from({ length: 40 }, (_, i) => Math.hypot(xy[2 * (from + i)] - c[0], xy[2 * (from + i) + 1] - c[1])));
  const [a, b] = [centre(0), centre(40)];
  const gap = Math.hypot(a[0] - b[0], a[1] - b[1]);
  assert.ok(gap > 2 * Math.max(spread(0, a), spread(40, b)), `gap ${gap} against spreads ${spread(0, a)}, ${spread(40, b)}`);
});
