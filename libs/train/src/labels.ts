import * as tf from '@tensorflow/tfjs-core';

/** Labels as one-hot rows [n, classes] (a label outside [0, classes) gives a row of zeros, as tf.oneHot does), built in JavaScript: one kernel call fewer a step. */
export function oneHot(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  const rows = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < classes) rows[i * classes + labels[i]] = 1;
  return tf.tensor2d(rows, [labels.length, classes]);
}

/** How many rows of `logits` (n rows of `classes` values) have their first largest value at their label, as tf.argMax picks it. */
export function countCorrect(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}
