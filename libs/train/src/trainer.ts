import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import type { EpochRecord, ProbeFile, RunStatus, Weights } from '../../artifacts';
import { shuffled } from '../../data';
import { size as shapeSize, type ModelSpec, type ModelSummary } from '../../graph';
import type { ResolvedTraining } from '../../pipeline-schema';
import { learningRateAt } from './schedule';
import { makeTrainStep } from './step';
import { batchCount, evaluateBatches, summarize, type Forward } from './validation';
import type { Progress } from './progress';

/** Images in NHWC order, flattened; labels as class indices. */
export interface Split {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface TrainOptions {
  model: ModelSpec;
  training: ResolvedTraining;
  classes: number;
  train: Split;
  validation: Split;
  /** Test images whose logits are kept after training, for the ONNX parity check. */
  probe: Split;
  progress: Progress;
  /** Threads each step runs on (data-parallel); default 1. */
  threads?: number;
  /** Called once the model is built, before the first step. */
  onStart?(summary: ModelSummary): void;
  /** Called once, early in a training long enough to need it, with the expected time of all its steps. */
  onEstimate?(estimate: Estimate): void;
  /** Seconds of training before the estimate's steps are measured (default 2; tests of short trainings set 0). */
  estimateAfterSeconds?: number;
}

export interface Estimate {
  /** Seconds the training steps of every epoch should take (validation passes not included). */
  seconds: number;
  samplesPerSecond: number;
  /** The steps measured, after the first ones (which compile and warm caches). */
  measured: number;
  /** Seconds of training before the measured steps. */
  after: number;
}

/**
 * Left out of the estimate: the first `skip` steps and the first `afterSeconds` of training (V8 compiles the hot
 * JavaScript in the background meanwhile, beside the training threads: LeNet-5's first steps run at about half the
 * speed of the rest).
 * Then at most `steps` steps or `seconds` are measured.
 */
const ESTIMATE = { skip: 3, afterSeconds: 2, steps: 30, seconds: 3 };

export interface TrainResult {
  summary: ModelSummary;
  weights: Weights;
  history: EpochRecord[];
  probe: ProbeFile;
  status: RunStatus;
  reason?: string;
  /**
   * The epoch whose weights were kept when they are not the last step's: early stopping's best, or after a
   * divergence the last finite epoch (0: the initial weights), so the run can still be exported and evaluated.
   */
  restoredEpoch?: number;
  seconds: number;
  /** Threads it trained on. */
  threads: number;
}

/** Rows `from..to` of a split in `order`, copied: far cheaper than gathering from a big tensor. */
function batchOf(split: Split, order: Uint32Array, from: number, to: number, size: number): { images: Float32Array; labels: Int32Array } {
  const n = to - from;
  const images = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[from + i];
    images.set(split.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = split.labels[j];
  }
  return { images, labels };
}

/** Lets signal handlers and timers run: training itself is synchronous, and Ctrl-C must not wait for its end. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const YIELD_EVERY_MS = 200;

/** Trains the model and returns its weights, per-epoch history and the probe logits. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { training: t, classes } = opts;
  const started = Date.now();
  const stepper = makeTrainStep(opts.model, t, classes, opts.threads ?? 1);
  const model = stepper.model;
  opts.onStart?.(model.summary);
  const size = shapeSize(opts.model.input);
  const rng = seedrandom(`batches:${t.seed}`);
  const batchSize = t['batch-size'];
  const batches = Math.ceil(opts.train.count / batchSize);
  const history: EpochRecord[] = [];
  let status: RunStatus = 'ok';
  let reason: string | undefined;
  let step = 0;
  const watch = t['early-stopping'] ? earlyStopping(t['early-stopping']) : undefined;
  let best: Weights | undefined;
  // A diverged run keeps the weights of its last finite epoch; a copy per epoch is cheap next to the epoch.
  let lastGood = model.weights();
  let nextYield = Date.now() + YIELD_EVERY_MS;
  const totalSteps = batches * t.epochs;
  const trainStart = performance.now();
  const estimateAfter = opts.estimateAfterSeconds ?? ESTIMATE.afterSeconds;
  let estimate: 'waiting' | 'measuring' | 'done' = opts.onEstimate && totalSteps > ESTIMATE.skip + ESTIMATE.steps ? 'waiting' : 'done';
  let measureFrom = 0;
  let measureStep = 0;
  let measuredSamples = 0;

  try {
    for (let epoch = 1; epoch <= t.epochs; epoch++) {
      const epochStart = Date.now();
      const learningRate = learningRateAt(t, epoch);
      stepper.setLearningRate(learningRate);
      const order = shuffled(opts.train.count, rng);
      let lossSum = 0;
      let correct = 0;
      opts.progress.startEpoch(epoch, t.epochs, batches);
      for (let b = 0; b < batches; b++) {
        const from = b * batchSize;
        const to = Math.min(from + batchSize, opts.train.count);
        const { images, labels } = batchOf(opts.train, order, from, to, size);
        if (Date.now() >= nextYield) {
          await yieldToEventLoop();
          nextYield = Date.now() + YIELD_EVERY_MS;
        }
        // With training.augment the step augments `images` in place: batchOf copies the rows, so the split stays
        // as the data stage wrote it.
        const { loss: lossValue, correct: right } = stepper.run(images, labels, step);
        correct += right;
        step++;
        if (estimate === 'waiting' && step >= ESTIMATE.skip && performance.now() - trainStart >= estimateAfter * 1000) {
          estimate = 'measuring';
          measureFrom = performance.now();
          measureStep = step;
        } else if (estimate === 'measuring') {
          measuredSamples += labels.length;
          const seconds = (performance.now() - measureFrom) / 1000;
          const measured = step - measureStep;
          if (measured >= ESTIMATE.steps || seconds >= ESTIMATE.seconds) {
            const samplesPerSecond = measuredSamples / seconds;
            const after = (measureFrom - trainStart) / 1000;
            opts.onEstimate!({ seconds: (opts.train.count * t.epochs) / samplesPerSecond, samplesPerSecond, measured, after });
            estimate = 'done';
          }
        }
        if (!Number.isFinite(lossValue)) {
          status = 'diverged';
          reason = `loss became ${lossValue} at epoch ${epoch}, batch ${b + 1}`;
          break;
        }
        lossSum += lossValue * labels.length;
        const seconds = (Date.now() - epochStart) / 1000;
        opts.progress.batch(b + 1, lossSum / to, to / Math.max(seconds, 1e-3));
      }
      if (status === 'diverged') {
        opts.progress.endEpoch(`epoch ${epoch}/${t.epochs} diverged: ${reason}`);
        break;
      }
      const trainSeconds = (Date.now() - epochStart) / 1000;
      const val = stepper.evaluate(opts.validation);
      // The epoch's last update can break the weights without a batch loss showing it: the validation loss does.
      if (opts.validation.count > 0 && !Number.isFinite(val.loss)) {
        status = 'diverged';
        reason = `validation loss became ${val.loss} after epoch ${epoch}`;
        opts.progress.endEpoch(`epoch ${epoch}/${t.epochs} diverged: ${reason}`);
        break;
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / opts.train.count,
        trainAccuracy: correct / opts.train.count,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRate,
        seconds: (Date.now() - epochStart) / 1000,
        samplesPerSecond: opts.train.count / trainSeconds,
      };
      history.push(record);
      lastGood = model.weights();
      opts.progress.endEpoch(
        `epoch ${epoch}/${t.epochs} lr ${learningRate.toPrecision(3)} loss ${record.trainLoss.toFixed(4)} acc ${pct(record.trainAccuracy)} | val loss ${record.valLoss.toFixed(4)} acc ${pct(record.valAccuracy)} | ${record.seconds.toFixed(1)}s, ${Math.round(record.samplesPerSecond)} samples/s`,
      );
      if (watch) {
        const verdict = watch.observe(record);
        if (verdict.improved && watch.restoreBest) best = lastGood; // the snapshot just taken: no second copy
        if (verdict.stop && epoch < t.epochs) {
          status = 'early-stopped';
          reason = verdict.stop;
          break;
        }
      }
    }
  } finally {
    opts.progress.stop();
  }

  let kept: Weights | undefined;
  let restoredEpoch: number | undefined;
  if (watch && best && watch.bestEpoch !== history.length) {
    [kept, restoredEpoch] = [best, watch.bestEpoch];
    reason = `${reason ? `${reason}; ` : ''}weights of epoch ${restoredEpoch} restored`;
  } else if (status === 'diverged') {
    [kept, restoredEpoch] = [lastGood, history.length];
    reason = `${reason}; ${restoredEpoch === 0 ? 'the initial weights' : `weights of epoch ${restoredEpoch}`} kept`;
  }
  if (kept) model.assign(kept);
  const probe = probeLogits(model.forward, opts.probe, size);
  const weights = kept ?? model.weights();
  const threads = stepper.threads;
  stepper.dispose();
  return { summary: model.summary, weights, history, probe, status, reason, restoredEpoch, seconds: (Date.now() - started) / 1000, threads };
}

/**
 * Tracks the monitored validation metric: an epoch improves on the best by more than min-delta, or counts
 * towards patience. NaN never improves.
 */
export function earlyStopping(rule: NonNullable<ResolvedTraining['early-stopping']>) {
  const key = rule.monitor === 'val-loss' ? 'valLoss' : 'valAccuracy';
  const sign = rule.monitor === 'val-loss' ? 1 : -1;
  let best = Infinity;
  let bestEpoch = 0;
  let waited = 0;
  return {
    monitor: rule.monitor,
    restoreBest: rule['restore-best'],
    get bestEpoch() {
      return bestEpoch;
    },
    observe(record: EpochRecord): { improved: boolean; stop?: string } {
      const value = sign * record[key];
      if (value < best - rule['min-delta']) {
        best = value;
        bestEpoch = record.epoch;
        waited = 0;
        return { improved: true };
      }
      waited++;
      if (waited < rule.patience) return { improved: false };
      const shown = rule.monitor === 'val-loss' ? (sign * best).toFixed(4) : pct(sign * best);
      const by = rule['min-delta'] > 0 ? ` by more than ${rule['min-delta']}` : '';
      return { improved: false, stop: `early stopping at epoch ${record.epoch}: ${rule.monitor} did not improve${by} for ${rule.patience} epochs (best ${shown} at epoch ${bestEpoch})` };
    },
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** Mean cross-entropy and accuracy in inference mode, on this thread. */
export function evaluate(forward: Forward, split: Split, size: number, classes: number): { loss: number; accuracy: number } {
  return summarize([evaluateBatches(forward, split.images, split.labels, split.count, size, classes, 0, batchCount(split.count))], split.count);
}

function probeLogits(forward: Forward, split: Split, size: number): ProbeFile {
  const x = tf.tensor2d(split.images.subarray(0, split.count * size), [split.count, size]);
  const logits = tf.tidy(() => forward(x, false));
  const rows = logits.arraySync();
  tf.dispose([x, logits]);
  return { indices: Array.from({ length: split.count }, (_, i) => i), logits: rows };
}
