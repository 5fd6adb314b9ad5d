import type { Metrics, Misclassified } from '../../artifacts';

/** Index of the largest of `n` values from `offset`; the first one on ties, as tf.argMax. */
export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

/** -log softmax(z)[label], computed as logsumexp(z) - z[label] with the max subtracted so exp cannot overflow. */
export function crossEntropy(logits: ArrayLike<number>, offset: number, n: number, label: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(logits[offset + k] - max);
  return max + Math.log(sum) - logits[offset + label];
}

export type ClassificationMetrics = Omit<Metrics, 'runtime' | 'parity'>;

/** Misclassified images kept for the report's grid. */
export const MISCLASSIFIED_KEPT = 24;

/** Accumulates batches of logits [batch][classes] against their labels. */
export class MetricsAccumulator {
  private readonly confusion: number[][];
  private lossSum = 0;
  private samples = 0;
  private readonly wrong: Misclassified[] = [];

  constructor(private readonly classes: string[]) {
    this.confusion = classes.map(() => classes.map(() => 0));
  }

  /** The next `count` images of the test split, in order. */
  add(logits: ArrayLike<number>, labels: ArrayLike<number>, count: number): void {
    const n = this.classes.length;
    for (let i = 0; i < count; i++) {
      const label = labels[i];
      const predicted = argmax(logits, i * n, n);
      this.confusion[label][predicted]++;
      this.lossSum += crossEntropy(logits, i * n, n, label);
      if (predicted !== label && this.wrong.length < MISCLASSIFIED_KEPT) {
        // softmax of the predicted logit: exp(-cross-entropy against it)
        const confidence = Math.exp(-crossEntropy(logits, i * n, n, predicted));
        this.wrong.push({ index: this.samples + i, label: this.classes[label], predicted: this.classes[predicted], confidence });
      }
    }
    this.samples += count;
  }

  /** Precision of a class never predicted and recall of a class absent from the labels are reported as 0. */
  result(): ClassificationMetrics {
    const { classes, confusion, samples } = this;
    const correct = classes.reduce((s, _, k) => s + confusion[k][k], 0);
    const perClass = classes.map((name, k) => {
      const support = confusion[k].reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((s, row) => s + row[k], 0);
      return {
        class: name,
        precision: predicted === 0 ? 0 : confusion[k][k] / predicted,
        recall: support === 0 ? 0 : confusion[k][k] / support,
        support,
      };
    });
    return {
      samples,
      accuracy: samples === 0 ? 0 : correct / samples,
      loss: samples === 0 ? 0 : this.lossSum / samples,
      classes: [...classes],
      confusion: confusion.map((row) => [...row]),
      perClass,
      misclassified: this.wrong.map((w) => ({ ...w })),
    };
  }
}
