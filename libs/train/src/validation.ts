import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '../../kernels';
import { countCorrect, oneHot } from './labels';

/** Images a validation batch holds: whole batches are what threads share out, so the sums do not depend on the thread count. */
export const EVAL_BATCH = 1000;

export type Forward = (x: tf.Tensor, training: boolean) => tf.Tensor2D;

/** A validation pass's part: each batch's summed cross-entropy, in batch order, and how many the batches got right. */
export interface BatchResults {
  losses: number[];
  correct: number;
}

/** Batches [first, end) of `count` images (NHWC, flattened, `size` floats each) in inference mode. */
export function evaluateBatches(forward: Forward, images: Float32Array, labels: ArrayLike<number>, count: number, size: number, classes: number, first: number, end: number): BatchResults {
  const losses: number[] = [];
  let correct = 0;
  for (let b = first; b < end; b++) {
    const from = b * EVAL_BATCH;
    const to = Math.min(from + EVAL_BATCH, count);
    const batchLabels = Int32Array.from({ length: to - from }, (_, i) => labels[from + i]);
    const x = tf.tensor2d(images.subarray(from * size, to * size), [to - from, size]);
    const y = oneHot(batchLabels, classes);
    const [l, logits] = tf.tidy(() => {
      const out = forward(x, false);
      return [crossEntropy(y, out, to - from), out];
    });
    losses.push(l.dataSync()[0]);
    correct += countCorrect(logits.dataSync(), batchLabels, classes);
    tf.dispose([x, y, l, logits]);
  }
  return { losses, correct };
}

/** Mean cross-entropy and accuracy of `count` images from the parts of a pass, in batch order. */
export function summarize(parts: BatchResults[], count: number): { loss: number; accuracy: number } {
  if (count === 0) return { loss: NaN, accuracy: NaN };
  let loss = 0;
  let correct = 0;
  for (const part of parts) {
    for (const l of part.losses) loss += l;
    correct += part.correct;
  }
  return { loss: loss / count, accuracy: correct / count };
}

export const batchCount = (count: number) => Math.ceil(count / EVAL_BATCH);
