import { FASHION_MNIST_CLASSES } from '../data/testing';
import type { EpochRecord, Metrics, RunInfo } from '../artifacts';
import type { ChartRun } from './src/types';

/** Test data only: a plausible training run with smooth curves and a deterministic confusion matrix. */
export function syntheticRun(
  opts: {
    name?: string;
    /** Default: the name, a group of its own. */
    group?: string;
    epochs?: number;
    classes?: string[];
    model?: string;
    offset?: number;
    /** Test accuracy, a fraction; default: what the confusion matrix gives. */
    accuracy?: number;
    testLoss?: number;
    params?: number;
    seed?: number;
  } = {},
): Required<Omit<ChartRun, 'misclassified' | 'features'>> {
  const name = opts.name ?? 'lenet-mnist';
  const n = opts.epochs ?? 10;
  const classes = opts.classes ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const off = opts.offset ?? 0;
  const epochs: EpochRecord[] = Array.from({ length: n }, (_, i) => {
    const t = i + 1;
    return {
      epoch: t,
      trainLoss: 0.05 + 0.6 * Math.exp(-t / 2.5) + off,
      valLoss: 0.07 + 0.5 * Math.exp(-t / 2.2) + 0.004 * t + off,
      trainAccuracy: 0.99 - 0.2 * Math.exp(-t / 2) - off / 4,
      valAccuracy: 0.982 - 0.15 * Math.exp(-t / 1.8) - off / 4,
      learningRate: 0.001,
      seconds: 4 + (t % 3) * 0.1,
      samplesPerSecond: 13_500,
    };
  });
  const k = classes.length;
  // Mostly right, a few confusions spread by a fixed pattern; one pair confused more often.
  const confusion = classes.map((_, t) =>
    classes.map((_, p) => (t === p ? 900 + ((t * 37) % 100) : (t * 7 + p * 3) % 11 === 0 ? 25 + t : (t + p) % 4)),
  );
  if (k > 3) confusion[k - 1][k - 2] = 61;
  const colSums = classes.map((_, p) => confusion.reduce((s, row) => s + row[p], 0));
  const rowSums = confusion.map((row) => row.reduce((s, x) => s + x, 0));
  const samples = rowSums.reduce((s, x) => s + x, 0);
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  const metrics: Metrics = {
    runtime: 'onnxruntime-node 1.30.0 (cpu)',
    samples,
    accuracy: opts.accuracy ?? correct / samples,
    loss: opts.testLoss ?? 0.0712,
    classes,
    confusion,
    perClass: classes.map((c, i) => ({
      class: c,
      precision: confusion[i][i] / colSums[i],
      recall: confusion[i][i] / rowSums[i],
      support: rowSums[i],
    })),
    parity: { probeSize: 64, tolerance: 1e-4, maxAbsDiff: 3.2e-6, maxScaledDiff: 3.2e-6, at: [12, 3], argmaxAgree: true, ok: true },
  };
  const run: RunInfo = {
    pipeline: name,
    run: 'seed-1',
    model: opts.model ?? 'LeNet-5',
    backend: 'tensorflow',
    threads: 1,
    seed: opts.seed ?? 1,
    paramCount: opts.params ?? 61_706,
    status: 'ok',
    epochsRun: n,
    seconds: epochs.reduce((s, e) => s + e.seconds, 0),
    layers: [],
  };
  return { name, group: opts.group ?? name, history: { epochs }, metrics, run };
}

export const FASHION_CLASSES = [...FASHION_MNIST_CLASSES];
