/**
 * Data-parallel training on worker threads. The wasm backend runs one thread per JavaScript thread, so a
 * step splits its batch into one slice per thread: this thread and each worker (a wasm backend of its
 * own) take the gradient of their slice's share of the batch's mean loss at the same weights; the
 * gradients are summed in a fixed order and applied once, here. So a run's result depends on its config,
 * seed, backend and thread count only. A validation pass shares out its batches of EVAL_BATCH images the same
 * way, at the weights of the moment, and sums their losses in batch order: the figures one thread gets.
 *
 * Threads share memory and block on Atomics, which keeps a step synchronous: the worker reads its slice
 * and the weights from shared buffers and writes back its gradient, its loss and its batch norm state. The
 * weights go out right after each update, so the workers take them while this thread returns and prepares
 * the next batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { size as shapeSize, type ModelSpec, type ParamSpec } from '../../graph';
import type { ResolvedTraining } from '../../pipeline-schema';
import { crossEntropy, readData, stackGradients } from '../../kernels';
import type { TrainableModel } from './model';
import { countCorrect } from './labels';
import type { Split } from './trainer';
import { EVAL_BATCH, type BatchResults } from './validation';

/**
 * Control words of one worker, in a shared Int32Array. `seq` holds the latest task and its number in one word
 * (number * 4 + TASK), so that a worker that wakes late reads both at once and takes the latest task; `done` the
 * number of the last task done. `weights` is the version of the shared weights, `uploaded` the version the
 * worker has taken. `batch` the whole batch's size, `n` the worker's slice (its images of the validation split
 * when evaluating), `first` the batch index of the slice's first image.
 */
export const CTRL = { seq: 0, done: 1, n: 2, step: 3, status: 4, error: 5, batch: 6, first: 7, weights: 8, uploaded: 9, words: 10 } as const;
/** `weights`: take the new weights now, while this thread prepares the next step. */
export const TASK = { step: 0, evaluate: 1, weights: 2 } as const;
export const ERROR_BYTES = 2048;
export const STATUS = { ready: 1, failed: 2 } as const;
export const STOP = -1;

/** A worker waits this long for its first step (tfjs and wasm to load) and for each later one. */
const TIMEOUT_MS = 120_000;

/**
 * Waits of a step (a worker for the next batch, this thread for the workers) spin this long before
 * they sleep: waking a sleeping thread costs a few hundred microseconds on a VM, a few percent of a
 * LeNet-5 step, while these waits rarely last a millisecond.
 */
const SPIN_MS = 2;

/** Returns once `word` of `ctrl` differs from `value` or SPIN_MS have passed. */
export function spinWhileEqual(ctrl: Int32Array, word: number, value: number): void {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(ctrl, word) === value && performance.now() < until);
}

export interface WorkerBuffers {
  images: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  /** Every tensor of the model (parameters and state), as `params` orders them: the weights of the step. */
  weights: SharedArrayBuffer;
  /** The worker's gradient of each trainable parameter, as `params` orders them (state left out). */
  grads: SharedArrayBuffer;
  /** The worker's state tensors after its step (batch norm's moving statistics), as `params` orders them. */
  state: SharedArrayBuffer;
  /** Its share of the batch's loss and how many it got right. */
  result: SharedArrayBuffer;
}

/**
 * A worker's part of the validation split and its results: sent by message when a pass needs more room than the
 * last (the worker takes it with receiveMessageOnPort when told to evaluate; its event loop never runs).
 */
export interface EvaluateBuffers {
  images: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  /** Each batch's summed cross-entropy, in batch order, as Float64. */
  losses: SharedArrayBuffer;
}

/** What a worker starts with: enough to load TensorFlow.js and its backend before there is a model to train. */
export interface WorkerData {
  backend: string;
  ctrl: SharedArrayBuffer;
  /** What went wrong, as UTF-8 (its length in CTRL.error): the main thread is blocked and reads no messages. */
  error: SharedArrayBuffer;
}

/** The model it trains, sent once the training starts. */
export interface WorkerSetup {
  spec: ModelSpec;
  training: ResolvedTraining;
  classes: number;
  /** 1 for the first worker: this thread is slice 0. */
  slice: number;
  buffers: WorkerBuffers;
}

interface Started extends WorkerData {
  worker: Worker;
}

/** Workers started ahead by startWorkers, for the next startHelpers on the same backend to take. */
const started: Started[] = [];

function startWorker(backend: string): Started {
  const data: WorkerData = { backend, ctrl: new SharedArrayBuffer(4 * CTRL.words), error: new SharedArrayBuffer(ERROR_BYTES) };
  // A worker does not inherit tsx's loader: register it first, as libs/nx-plugin/plugin.cjs does for Nx.
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'parallel-worker.ts'))});`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  worker.unref();
  return { ...data, worker };
}

/** Threads a step of `batchSize` images runs on when `threads` are asked for: never more than it has images, so no slice is empty. */
export const threadsFor = (threads: number, batchSize: number): number => (threads > 1 ? Math.min(threads, batchSize) : 1);

/**
 * Starts the workers of a training on `threads` threads at batches of `batchSize` now, so that they load
 * TensorFlow.js and its backend (1.0-1.4 s each here) while this thread loads the data: startHelpers takes
 * them. Returns how many wait on `backend`.
 */
export function startWorkers(threads: number, batchSize: number, backend: string): number {
  const waiting = () => started.filter((w) => w.backend === backend).length;
  while (waiting() < threadsFor(threads, batchSize) - 1) started.push(startWorker(backend));
  return waiting();
}

/** Offsets of each tensor in a flat buffer of the tensors `keep` selects. */
export function layout(params: ParamSpec[], keep: (p: ParamSpec) => boolean): { param: ParamSpec; offset: number; length: number }[] {
  let offset = 0;
  return params.filter(keep).map((param) => {
    const length = shapeSize(param.shape);
    const entry = { param, offset, length };
    offset += length;
    return entry;
  });
}

export const total = (l: { length: number }[]) => l.reduce((n, e) => n + e.length, 0);

/** The dropout seed of slice `slice` at a step: slice 0 keeps the single-thread seed. */
export const sliceSeed = (stepSeed: number, slice: number) => stepSeed + slice * 0x9e3779b1;

/**
 * The gradient of `share` x the mean cross-entropy of a slice (its part of the batch's mean), not yet
 * applied, with the loss and how many the slice got right: what this thread and every worker compute.
 * `share` 1 leaves the loss unscaled, as a single thread computes the whole batch.
 */
export function sliceGradients(model: TrainableModel, x: tf.Tensor, y: tf.Tensor, labels: Int32Array, share: number, seed: number): { loss: number; grads: tf.NamedTensorMap; correct: number } {
  // An MLP or LeNet-5: its kernels without the tape, the same bits.
  const stack = model.stack;
  const direct = stack && stackGradients(x, y, stack, share);
  if (stack && direct) {
    const grads: tf.NamedTensorMap = {};
    [...stack.convs, ...stack.dense].forEach(({ w, bias }, i) => {
      grads[w.name] = direct.grads[i].w;
      grads[bias.name] = direct.grads[i].bias;
    });
    return { loss: direct.loss, grads, correct: countCorrect(direct.logits, labels, y.shape[1]!) };
  }
  let logits: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    logits = tf.keep(model.forward(x, true, seed));
    return crossEntropy(y, logits, share);
  }, model.trainableVariables);
  const loss = value.dataSync()[0];
  // Counted from the logits here rather than by an ArgMax kernel: one call fewer a step.
  const correct = countCorrect(logits!.dataSync(), labels, logits!.shape[1]!);
  tf.dispose([value, logits!]);
  return { loss, grads, correct };
}

/** Slice sizes of a batch of n over `threads`, as even as possible, the larger first. */
export function slices(n: number, threads: number): number[] {
  return Array.from({ length: threads }, (_, i) => Math.floor(n / threads) + (i < n % threads ? 1 : 0));
}

export interface Helpers {
  /** Runs slices 1.. of a step on the workers while `own` runs slice 0 here; returns the workers' results in order. */
  step(images: Float32Array, labels: Int32Array, sizes: number[], stepIndex: number, own: () => void): { grads: Float32Array; state: Float32Array; loss: number; correct: number }[];
  /**
   * A validation pass at this thread's weights: `shares[i]` whole batches to thread i, in order, `own` computing
   * this thread's (the first) while the workers compute theirs. Every part, in batch order.
   */
  evaluate(split: Split, shares: number[], own: () => BatchResults): BatchResults[];
  /** Hands this thread's weights to the workers now (after an update), so they take them before the next task. */
  publish(): void;
  dispose(): void;
}

/** Sets up threads - 1 workers (started ahead by startWorkers, or now) for `model` and waits until each has its backend and model. */
export function startHelpers(spec: ModelSpec, t: ResolvedTraining, classes: number, model: TrainableModel, threads: number): Helpers {
  const input = shapeSize(spec.input);
  const maxSlice = Math.ceil(t['batch-size'] / threads);
  const all = layout(model.params, () => true);
  const trainable = layout(model.params, (p) => p.trainable);
  const state = layout(model.params, (p) => !p.trainable);
  const weights = new SharedArrayBuffer(4 * total(all));
  const weightView = new Float32Array(weights);
  const backend = tf.getBackend();
  const helpers = Array.from({ length: threads - 1 }, (_, i) => {
    const ahead = started.findIndex((w) => w.backend === backend);
    const { worker, ctrl: ctrlBuffer, error: errorBuffer } = ahead >= 0 ? started.splice(ahead, 1)[0] : startWorker(backend);
    const buffers: WorkerBuffers = {
      images: new SharedArrayBuffer(4 * maxSlice * input),
      labels: new SharedArrayBuffer(4 * maxSlice),
      weights,
      grads: new SharedArrayBuffer(4 * Math.max(1, total(trainable))),
      state: new SharedArrayBuffer(4 * Math.max(1, total(state))),
      result: new SharedArrayBuffer(16),
    };
    const setup: WorkerSetup = { spec, training: t, classes, slice: i + 1, buffers };
    worker.postMessage(setup);
    const ctrl = new Int32Array(ctrlBuffer);
    const error = () => new TextDecoder().decode(new Uint8Array(errorBuffer, 0, Atomics.load(ctrl, CTRL.error)));
    return { worker, buffers, ctrl, error };
  });
  const waitFor = (h: (typeof helpers)[number], word: number, value: number) => {
    const deadline = Date.now() + TIMEOUT_MS;
    const before = Atomics.load(h.ctrl, word);
    if (before !== value) spinWhileEqual(h.ctrl, word, before);
    while (Atomics.load(h.ctrl, word) !== value) {
      if (Atomics.load(h.ctrl, CTRL.status) === STATUS.failed) throw new Error(`training thread ${helpers.indexOf(h) + 1} failed${h.error() ? `: ${h.error()}` : ''}`);
      if (Date.now() > deadline) throw new Error(`training thread ${helpers.indexOf(h) + 1} did not answer within ${TIMEOUT_MS / 1000} s`);
      Atomics.wait(h.ctrl, word, Atomics.load(h.ctrl, word), 100);
    }
  };
  try {
    for (const h of helpers) waitFor(h, CTRL.status, STATUS.ready);
  } catch (e) {
    for (const h of helpers) void h.worker.terminate();
    throw e;
  }
  let seq = 0;
  let version = 0;
  // The variables' data at the last publish: weights assigned between steps get new data. (Adam writes weights in
  // place, but only in a step, which publishes after it.)
  let published: object[] = [];
  const start = (h: (typeof helpers)[number], task: number) => {
    Atomics.store(h.ctrl, CTRL.seq, seq * 4 + task);
    Atomics.notify(h.ctrl, CTRL.seq);
  };
  const publish = () => {
    // Not over weights a worker is still reading.
    for (const h of helpers) waitFor(h, CTRL.uploaded, version);
    // The weights every thread computes at: this thread's, as they are now.
    for (const { param, offset } of all) weightView.set(readData(model.variables.get(param.name)!), offset);
    published = all.map(({ param }) => model.variables.get(param.name)!.dataId);
    version++;
    seq++;
    for (const h of helpers) {
      Atomics.store(h.ctrl, CTRL.weights, version);
      start(h, TASK.weights);
    }
  };
  // Published already, unless the weights changed since (the first task, or weights assigned between steps).
  const shareWeights = () => {
    if (published.length !== all.length || all.some(({ param }, i) => model.variables.get(param.name)!.dataId !== published[i])) publish();
  };
  const evaluation = new Map<(typeof helpers)[number], EvaluateBuffers>();
  return {
    step(images, labels, sizes, stepIndex, own) {
      shareWeights();
      seq++;
      let from = sizes[0];
      // A last batch smaller than the thread count leaves the last workers out.
      const active = helpers.slice(0, sizes.length - 1);
      active.forEach((h, i) => {
        const n = sizes[i + 1];
        new Float32Array(h.buffers.images).set(images.subarray(from * input, (from + n) * input));
        new Int32Array(h.buffers.labels).set(labels.subarray(from, from + n));
        Atomics.store(h.ctrl, CTRL.first, from);
        from += n;
        Atomics.store(h.ctrl, CTRL.n, n);
        Atomics.store(h.ctrl, CTRL.batch, labels.length);
        Atomics.store(h.ctrl, CTRL.step, stepIndex);
        start(h, TASK.step);
      });
      own();
      return active.map((h) => {
        waitFor(h, CTRL.done, seq);
        const result = new Float64Array(h.buffers.result);
        return { grads: new Float32Array(h.buffers.grads), state: new Float32Array(h.buffers.state), loss: result[0], correct: result[1] };
      });
    },
    evaluate(split, shares, own) {
      shareWeights();
      seq++;
      const active = helpers.slice(0, shares.length - 1);
      let batch = shares[0];
      active.forEach((h, i) => {
        const from = Math.min(batch * EVAL_BATCH, split.count);
        batch += shares[i + 1];
        const to = Math.min(batch * EVAL_BATCH, split.count);
        let buffers = evaluation.get(h);
        if (!buffers || buffers.labels.byteLength < 4 * (to - from)) {
          buffers = { images: new SharedArrayBuffer(4 * (to - from) * input), labels: new SharedArrayBuffer(4 * (to - from)), losses: new SharedArrayBuffer(8 * shares[i + 1]) };
          evaluation.set(h, buffers);
          h.worker.postMessage(buffers);
        }
        new Float32Array(buffers.images).set(split.images.subarray(from * input, to * input));
        new Int32Array(buffers.labels).set(split.labels.subarray(from, to));
        Atomics.store(h.ctrl, CTRL.n, to - from);
        start(h, TASK.evaluate);
      });
      const parts = [own()];
      active.forEach((h, i) => {
        waitFor(h, CTRL.done, seq);
        parts.push({ losses: Array.from(new Float64Array(evaluation.get(h)!.losses, 0, shares[i + 1])), correct: new Float64Array(h.buffers.result)[1] });
      });
      return parts;
    },
    publish,
    dispose() {
      for (const h of helpers) {
        Atomics.store(h.ctrl, CTRL.seq, STOP);
        Atomics.notify(h.ctrl, CTRL.seq);
        void h.worker.terminate();
      }
    },
  };
}
