import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel, size, type ModelSpec } from '../../graph';
import { exportOnnx } from './export';
import { opTypes } from './testing/decode';
import { LENET_BN_DROPOUT } from './testing/models';
import { openCvSkip, openCvVersion, runInOpenCv } from './testing/opencv';
import { maxAbsDiff, openSession, runLogits } from './testing/ort';
import { randomWeights, seededRandom, uniform } from './testing/seeded';

// OpenCV's DNN module is the consumer most strict about the form of the graph: it reads the PyTorch exporter's.
const skip = openCvSkip;

/** Between them, every layer type and the forms each can take. */
const models: Record<string, ModelSpec> = {
  'LeNet-5 with batchnorm (after conv, after dense, after a pool) and dropout, flatten of 16 maps': LENET_BN_DROPOUT,
  'LeNet-5 1998: subsampling, C3 connection table, scaled tanh, batchnorm after conv and after an activation': {
    input: [1, 32, 32],
    layers: [
      { id: 'C1', type: 'conv', filters: 6, kernel: 5 },
      { id: 'BN1', type: 'batchnorm' },
      { type: 'activation', activation: 'scaled-tanh' },
      { id: 'S2', type: 'subsample', size: 2, activation: 'scaled-tanh' },
      { id: 'C3', type: 'conv', filters: 16, kernel: 5, connections: 'lecun1998', activation: 'scaled-tanh' },
      { id: 'S4', type: 'subsample', size: 2, activation: 'sigmoid' },
      { id: 'C5', type: 'conv', filters: 120, kernel: 5, activation: 'scaled-tanh' },
      { type: 'flatten' },
      { id: 'F6', type: 'dense', units: 84, activation: 'scaled-tanh' },
      { id: 'BN2', type: 'batchnorm', momentum: 0.99, epsilon: 1e-3 },
      { id: 'OUT', type: 'dense', units: 10 },
    ],
  },
  "'same' windows with the odd pixel at the end, count_include_pad 0, batchnorm on a flattened vector, dense without bias": {
    input: [2, 11, 10],
    layers: [
      { type: 'conv', filters: 4, kernel: 3, stride: 2, padding: 'same', activation: 'sigmoid' }, // [4, 6, 5]
      { type: 'maxpool', size: 3, stride: 2, padding: 'same' }, // [4, 3, 3]
      { type: 'conv', filters: 3, kernel: [2, 3], stride: [2, 1], padding: 'same', bias: false }, // [3, 2, 3]
      { type: 'avgpool', size: 2, padding: 'same' }, // [3, 1, 2]
      { type: 'flatten' },
      { type: 'batchnorm' },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 5, bias: false },
    ],
  },
  'vector input: dense, batchnorm folded, dropout, dense without bias then batchnorm as the last layer': {
    input: [12],
    layers: [
      { type: 'dense', units: 8 },
      { type: 'batchnorm' },
      { type: 'activation', activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 4, bias: false },
      { type: 'batchnorm' },
    ],
  },
  'flatten of 2 maps as the output (no dense to absorb the order: Transpose then Flatten)': {
    input: [2, 3, 3],
    layers: [{ type: 'maxpool', size: 1 }, { type: 'flatten' }],
  },
  'dropout only (Identity)': { input: [5], layers: [{ type: 'dropout', rate: 0.1 }] },
};

interface Run {
  name: string;
  opset: number;
  bytes: Uint8Array;
  dims: number[];
  images: Float32Array;
  expected: Float32Array;
}

/** onnxruntime-node's logits for a batch of 3 seeded images through the exported file. */
async function exported(name: string, opset: number, seed: number): Promise<Run> {
  const model = models[name];
  const bytes = exportOnnx({ model, weights: randomWeights(model, seed), opset, graphName: 'opencv', metadata: {} });
  const dims = [3, ...describeModel(model).input];
  const images = uniform(size(dims), seededRandom(seed + 100), 2);
  const session = await openSession(bytes);
  try {
    return { name, opset, bytes, dims, images, expected: (await runLogits(session, images, dims)).data as Float32Array };
  } finally {
    await session.release();
  }
}

/** Asserts OpenCV loads each file and gives onnxruntime's logits within 1e-4. */
async function assertOpenCvMatches(wanted: { name: string; opset: number; seed: number }[]): Promise<void> {
  const runs = await Promise.all(wanted.map((w) => exported(w.name, w.opset, w.seed)));
  const results = runInOpenCv(runs);
  const failures = runs.flatMap((run, i) => {
    const got = results[i];
    const what = `${run.name}, opset ${run.opset} [${opTypes(run.bytes).join(', ')}]`;
    if (typeof got === 'string') return [`${what}: OpenCV refused it: ${got}`];
    if (got.length !== run.expected.length) return [`${what}: OpenCV gave ${got.length} values, onnxruntime ${run.expected.length}`];
    const diff = maxAbsDiff(got, run.expected);
    return diff <= 1e-4 ? [] : [`${what}: max |OpenCV - onnxruntime| = ${diff}`];
  });
  assert.deepEqual(failures, []);
}

test('OpenCV DNN (cv2.dnn.readNetFromONNX) runs every layer type at opset 13 and gives onnxruntime-node logits within 1e-4', { skip }, async (t) => {
  t.diagnostic(`OpenCV ${openCvVersion}`);
  await assertOpenCvMatches(Object.keys(models).map((name, i) => ({ name, opset: 13, seed: 30 + i })));
});

// OpenCV 4.6 reads the ops it knows whatever the opset the file declares: the forms written here are the same at 13 to 21.
test('OpenCV DNN runs both LeNet-5 variants at every opset from 13 to 21', { skip }, async () => {
  const [modern, lenet1998] = Object.keys(models);
  const wanted = [];
  for (let opset = 13; opset <= 21; opset++) wanted.push({ name: modern, opset, seed: 40 + opset }, { name: lenet1998, opset, seed: 60 + opset });
  await assertOpenCvMatches(wanted);
});
