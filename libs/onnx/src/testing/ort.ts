/** Test support: runs an exported file with onnxruntime-node and compares it with a reference. */
import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import type { Weights } from '../../../artifacts';
import { describeModel, size, type ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { randomWeights, seededRandom, uniform } from './seeded';
import { tfForward } from './tf-reference';

export function openSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

export async function runLogits(session: ort.InferenceSession, images: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const result = await session.run({ input: new ort.Tensor('float32', images, dims) });
  return result.logits as ort.Tensor;
}

/** The same file's logits from onnxruntime-web (its wasm build, here under Node, one thread: as in a browser without cross-origin isolation). */
export async function runLogitsWeb(bytes: Uint8Array, images: Float32Array, dims: number[]): Promise<Float32Array> {
  ortWeb.env.wasm.numThreads = 1;
  const session = await ortWeb.InferenceSession.create(bytes);
  try {
    const result = await session.run({ input: new ortWeb.Tensor('float32', images, dims) });
    return result.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = d; // NaN becomes the maximum
  }
  return max;
}

export interface ParityCheck {
  /** Batch sizes run one after the other in the same session (the batch dimension is symbolic). */
  batches?: number[];
  seed?: number;
  tolerance?: number;
  weights?: Weights;
  opset?: number;
}

/**
 * Exports `model` with seeded random weights, runs each batch of seeded random images through onnxruntime
 * and asserts the logits match TensorFlow.js within the tolerance. Returns the largest difference seen.
 */
export async function assertMatchesTf(model: ModelSpec, check: ParityCheck = {}): Promise<number> {
  const { batches = [1, 3], seed = 1, tolerance = 1e-4, opset = 13 } = check;
  const weights = check.weights ?? randomWeights(model, seed);
  const summary = describeModel(model);
  const session = await openSession(exportOnnx({ model, weights, opset, graphName: 'test', metadata: {} }));
  const random = seededRandom(seed + 1000);
  let worst = 0;
  try {
    for (const batch of batches) {
      const images = uniform(batch * size(summary.input), random);
      const got = await runLogits(session, images, [batch, ...summary.input]);
      assert.deepEqual(got.dims, [batch, ...summary.output]);
      const want = await tfForward(model, weights, images, batch);
      const diff = maxAbsDiff(got.data as Float32Array, want);
      assert.ok(diff <= tolerance, `batch ${batch}: max |onnx - tfjs| = ${diff} > ${tolerance}`);
      worst = Math.max(worst, diff);
    }
  } finally {
    await session.release();
  }
  return worst;
}
