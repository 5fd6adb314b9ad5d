/**
 * `npm run bench`: training and inference throughput on the active TensorFlow.js backend, with
 * PyTorch (the newest the machine has: see torch-python.ts) and onnxruntime measured in the same run, so the
 * figures are ratios taken side by side rather than absolute times on a shared machine.
 *
 * Every figure is one line: `<what> <model> <runtime> <value> <unit> (...)`, for scripts to read.
 * Ratios against PyTorch hold only on a quiet machine: under load its threads slow down far more than
 * wasm's, so the bench checks the load and the spread of its own repeats first and says when they lie.
 *
 *   npm run bench                      every part: training, augment, threads, inference and replay
 *   npm run bench -- --only training   (or augment, threads, inference, replay)
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import seedrandom from 'seedrandom';
import { describeModel, multiplyAdds, size as shapeSize, type ModelSpec } from '../../libs/graph';
import { exportOnnx } from '../../libs/onnx';
import { loadPipeline } from '../../libs/pipeline-file';
import { withDefaults, type ResolvedTraining } from '../../libs/pipeline-schema';
import { requestedBackend, runThreads } from '../../libs/backend-choice';
import { makeTrainStep, useBackend } from '../../libs/train';
import { median } from './median';
import { newestTorch } from './torch-python';
import { benchReplay } from './replay';
import { benchAugment } from './augment';
import { benchOverhead, benchPeak } from './limits';

const repo = join(__dirname, '..', '..');
const PARTS = ['training', 'augment', 'threads', 'inference', 'replay'];
const OPTIONS = {
  steps: { type: 'string', default: '40' },
  repeats: { type: 'string', default: '5' },
  batch: { type: 'string', default: '64' },
  // PyTorch runs on as many threads as the measurement it is compared with, unless this fixes its count.
  'torch-threads': { type: 'string' },
  threads: { type: 'string', default: [...new Set([1, availableParallelism()])].join(',') },
  only: { type: 'string' },
} as const;

/** The options, or one line on what is wrong with them and exit code 2: a typo is not a stack trace. */
function options() {
  try {
    const { values } = parseArgs({ options: OPTIONS });
    if (values.only !== undefined && !PARTS.includes(values.only)) throw new Error(`--only takes ${PARTS.join(', ')} (got '${values.only}')`);
    return values;
  } catch (e) {
    console.error(`npm run bench: ${(e as Error).message}; options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')}`);
    process.exit(2);
  }
}
const args = options();
const THREADS = args.threads!.split(',').map(Number);
const STEPS = Number(args.steps);
const REPEATS = Number(args.repeats);
const BATCH = Number(args.batch);
const WARMUP = 5;
const torchThreads = (ours: number) => (args['torch-threads'] ? Number(args['torch-threads']) : ours);
/**
 * Our steps run before measuring, at least WARMUP of them: V8 compiles wasm with a quick baseline compiler
 * first and optimizes hot functions in the background (a worker thread's copy on its own), so a LeNet-5
 * step needs about ten seconds of steps to reach the speed that a training of thousands of steps runs at: a
 * LeNet-5 step timed second by second from the start slows down for a few seconds while the optimizing
 * compiler runs, and holds its speed only from about the tenth second.
 */
const WARMUP_MS = 12000;
/** Warm-up of the one-thread lines measured after the training comparison, on this thread's optimized kernels. */
const LATER_WARMUP_MS = 2000;

const lenetL2 = loadPipeline(join(repo, 'pipelines', 'lenet-l2.yaml')).config;
/** For the thread scaling and the training comparison: fashion-small-convnet's model, at its pipeline's batch size. */
const convnet = loadPipeline(join(repo, 'pipelines', 'fashion-small-convnet.yaml')).config;
const models: Record<string, ModelSpec> = {
  lenet5: lenetL2.model,
  // The MLP of the LeNet-vs-MLP assignments: about LeNet-5's parameter count.
  mlp: { input: [1, 32, 32], layers: [{ type: 'flatten' }, { type: 'dense', units: 60, activation: 'tanh' }, { type: 'dense', units: 10 }] },
  convnet: convnet.model,
};
/** Each model's batch: --batch, except the convnet's, which trains at its pipeline's. */
const batches: Record<string, number> = { lenet5: BATCH, mlp: BATCH, convnet: convnet.training['batch-size'] };
const trainingOf = (name: string) => withDefaults('Training', { optimizer: 'adam', 'batch-size': batches[name] }) as ResolvedTraining;
const training = trainingOf('lenet5');

function randomBatch(spec: ModelSpec, n: number, seed: number): { images: Float32Array; labels: Int32Array } {
  const rng = seedrandom(`bench:${seed}`);
  const size = shapeSize(spec.input);
  return { images: Float32Array.from({ length: n * size }, () => rng() * 2 - 1), labels: Int32Array.from({ length: n }, () => Math.floor(rng() * 10)) };
}

/**
 * PyTorch training the same models in a Python process that stays up, asked for one repeat at a time
 * so that its repeats alternate with ours: on a shared VM whose speed drifts, both then see the same machine.
 */
class TorchReference {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private failure = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(line);
      else this.lines.push(line);
    });
    child.stderr.on('data', (chunk: Buffer) => (this.failure = chunk.toString().trim().split('\n').at(-1) ?? ''));
    child.on('close', () => this.waiting?.(''));
  }

  /** On the newest PyTorch the machine has (torch-python.ts); undefined when no Python imports torch. */
  static async start(): Promise<{ torch: TorchReference; version: string } | undefined> {
    const found = newestTorch((line) => console.log(line));
    if (!found) {
      console.log(`# no Python here imports torch (a wheel in /opt/wheels, or apt-get install python3-torch): no PyTorch comparison`);
      return undefined;
    }
    const torch = new TorchReference(spawn(found.python, [join(__dirname, 'torch_reference.py')]));
    torch.child.stdin.write(`${JSON.stringify({ batches, warmup: WARMUP, models })}\n`);
    await torch.next(); // its models are built and warmed up
    return { torch, version: `${found.version} (BLAS ${found.blas}; ${found.python})` };
  }

  private async next(): Promise<string> {
    const line = this.lines.shift() ?? (await new Promise<string>((resolve) => (this.waiting = resolve)));
    if (line === '') throw new Error(`the PyTorch reference failed: ${this.failure || 'it exited'}`);
    return line;
  }

  /** Samples/s of one repeat of `steps` steps of the named model on `threads` threads. */
  async repeat(model: string, threads: number, steps: number): Promise<number> {
    this.child.stdin.write(`${model} ${threads} ${steps}\n`);
    return Number(await this.next());
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * Median samples/s over REPEATS runs of `steps` training steps on `threads` threads, each run followed by
 * one of PyTorch's when given, and the per-kernel profile of one step.
 */
async function benchTraining(name: string, spec: ModelSpec, threads: number, t: ResolvedTraining = training, steps = STEPS, torch?: TorchReference) {
  const stepper = makeTrainStep(spec, t, 10, threads);
  const batch = t['batch-size'];
  const batches = [0, 1, 2, 3].map((i) => randomBatch(spec, batch, i));
  let step = 0;
  const one = () => {
    const b = batches[step % batches.length];
    stepper.run(b.images, b.labels, step++);
  };
  const warm = performance.now();
  for (let i = 0; i < WARMUP || performance.now() - warm < WARMUP_MS; i++) one();
  const rates: number[] = [];
  const torchRates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    for (let i = 0; i < steps; i++) one();
    rates.push((steps * batch) / ((performance.now() - start) / 1000));
    if (torch) torchRates.push(await torch.repeat(name, torchThreads(threads), steps));
  }
  const profile = await tf.profile(() => {
    one();
    return [] as unknown as tf.Tensor;
  });
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  stepper.dispose();
  return {
    name,
    threads,
    rate: median(rates),
    rates,
    torchRates,
    // The median of the per-repeat ratios: each pair ran back to back.
    ratio: torch ? median(rates.map((r, i) => r / torchRates[i])) : undefined,
    profile: [...byKernel].sort((a, b) => b[1] - a[1]),
    kernels: profile.kernels.length,
  };
}

/** Images/s of onnxruntime on the exported model and of the same model's TensorFlow.js forward pass. */
async function benchInference(backend: string) {
  const spec = models.lenet5;
  const summary = describeModel(spec);
  const stepper = makeTrainStep(spec, training, 10);
  const weights = stepper.model.weights();
  const session = await ort.InferenceSession.create(exportOnnx({ model: spec, weights, opset: 13, graphName: 'lenet5', metadata: {} }), { intraOpNumThreads: 2 });
  for (const batch of [1, 256]) {
    const { images } = randomBatch(spec, batch, 9);
    const calls = Math.max(5, Math.round(4096 / batch));
    const time = async (f: () => Promise<void> | void) => {
      const warm = performance.now();
      while (performance.now() - warm < WARMUP_MS) await f();
      const rates: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const start = performance.now();
        for (let i = 0; i < calls; i++) await f();
        rates.push((calls * batch) / ((performance.now() - start) / 1000));
      }
      return median(rates);
    };
    const input = new ort.Tensor('float32', images, [batch, ...summary.input]);
    const onnx = await time(async () => void (await session.run({ input })));
    const tfjs = await time(() => {
      // tidy: the forward pass's intermediate tensors are freed as in evaluation, not left to grow the heap.
      tf.tidy(() => void stepper.model.forward(tf.tensor2d(images, [batch, images.length / batch]), false).dataSync());
    });
    console.log(`eval lenet5 onnxruntime ${Math.round(onnx)} images/s (batch ${batch}, 2 threads)`);
    console.log(`eval lenet5 tfjs-${backend} ${Math.round(tfjs)} images/s (batch ${batch}, ratio onnxruntime/tfjs ${(onnx / tfjs).toFixed(2)})`);
  }
  await session.release();
  stepper.dispose();
}

/**
 * What the measured rates mean for a sweep: 27 runs of lenet-l2's training (3 x 3 x 3 settings, or 9 with three
 * seeds each), every epoch its training split, at the thread count `auto` picks for it here. Training only: the
 * data stage runs once per dataset, and export and evaluation take seconds per run.
 */
function sweepLine(results: { name: string; threads: number; rate: number; torchRates: number[] }[], backend: string): void {
  const runs = 27;
  const { epochs } = lenetL2.training;
  const images = Math.round(60_000 * (1 - lenetL2.dataset.validation));
  const threads = runThreads(lenetL2.training, lenetL2.model);
  const r = results.find((x) => x.name === 'lenet5' && x.threads === threads) ?? results.find((x) => x.name === 'lenet5');
  if (r === undefined) return;
  const minutes = (rate: number) => ((runs * epochs * images) / rate / 60).toFixed(1);
  const torch = r.torchRates.length ? `; PyTorch ${minutes(median(r.torchRates))} min on as many threads` : '';
  console.log(`sweep lenet5 ${backend} ${runs} runs x ${epochs} epochs x ${images.toLocaleString('en-US')} images: ${minutes(r.rate)} min of training on ${r.threads} thread${r.threads > 1 ? 's' : ''}${torch}`);
}

/** Says loudly when a measurement's repeats disagree: a sign that something else ran. */
function spread(what: string, rates: number[]): void {
  const ratio = Math.max(...rates) / Math.min(...rates);
  if (ratio > 1.2) console.log(`# WARNING: ${what}: repeats spread ${ratio.toFixed(2)}x (${rates.map(Math.round).join(', ')}): not a quiet machine`);
}

/** The machine must be quiet for ratios to mean anything; says so when it is not. */
function checkQuiet(): void {
  const [one] = loadavg();
  const cores = availableParallelism();
  if (one > 0.25 * cores) {
    console.log(`# WARNING: load average ${one.toFixed(2)} on ${cores} cores: something else is running; PyTorch's threads slow down under load far more than wasm's, so the ratios below overstate wasm. Measure on a quiet machine.`);
  } else {
    console.log(`# quiet machine: load average ${one.toFixed(2)} on ${cores} cores`);
  }
}

async function main() {
  const backend = await useBackend(requestedBackend());
  const only = args.only;
  console.log(`# Trainyard bench: backend ${backend}, batch ${BATCH}, Adam, ${STEPS} steps x ${REPEATS} repeats (median), after ${WARMUP_MS / 1000} s of warm-up steps (PyTorch: ${WARMUP})`);
  checkQuiet();
  if (!only || only === 'training') {
    const reference = await TorchReference.start();
    const count = args['torch-threads'] ? `${args['torch-threads']} threads` : 'as many threads as ours';
    if (reference) console.log(`# PyTorch ${reference.version}, ${count}, its repeats alternating with ours`);
    const results = [];
    try {
      for (const [name, spec] of Object.entries(models)) {
        // The convnet's steps take about ten times LeNet-5's: fewer of them.
        const steps = name === 'convnet' ? Math.max(5, Math.round(STEPS / 4)) : STEPS;
        for (const threads of THREADS) results.push(await benchTraining(name, spec, threads, trainingOf(name), steps, reference?.torch));
      }
    } finally {
      reference?.torch.close();
    }
    for (const r of results) {
      spread(`${r.name} ${r.threads} thread(s)`, r.rates);
      if (r.torchRates.length) spread(`PyTorch ${r.name} beside ${r.threads} thread(s)`, r.torchRates);
      const threads = (n: number) => `${n} thread${n > 1 ? 's' : ''}`;
      const vs = r.ratio !== undefined ? ` (torch ${threads(torchThreads(r.threads))} ${Math.round(median(r.torchRates))}, ratio ${r.ratio.toFixed(2)})` : '';
      console.log(`train ${r.name} ${backend} ${threads(r.threads)} ${Math.round(r.rate)} samples/s (batch ${batches[r.name]})${vs}`);
      // A training step costs about three forward passes (the backward pass two), two FLOPs per multiply-add.
      const macs = multiplyAdds(models[r.name]);
      const gflops = (rate: number) => `${((6 * macs * rate) / 1e9).toFixed(1)} GFLOP/s`;
      const torchRate = r.torchRates.length ? `, PyTorch ${gflops(median(r.torchRates))}` : '';
      console.log(`flops ${r.name} ${backend} ${threads(r.threads)} ${gflops(r.rate)}${torchRate} (${((6 * macs) / 1e6).toFixed(2)} MFLOP per training sample, about 3 x 2 x ${macs.toLocaleString('en-US')} multiply-adds)`);
    }
    sweepLine(results, backend);
    // One thread, whose kernels V8 has optimized by now: a short warm-up. (Worker threads optimize their own copy.)
    benchPeak(backend, REPEATS, LATER_WARMUP_MS);
    for (const name of ['lenet5', 'mlp']) benchOverhead(name, models[name], batches[name], backend, REPEATS, LATER_WARMUP_MS);
    for (const r of results.filter((x) => x.threads === 1)) {
      const total = r.profile.reduce((a, [, ms]) => a + ms, 0);
      console.log(`# one ${r.name} step on one thread: ${r.kernels} kernel calls, ${total.toFixed(1)} ms in kernels`);
      for (const [kernel, ms] of r.profile.slice(0, 12)) console.log(`profile ${r.name} ${backend} ${kernel} ${ms.toFixed(2)} ms`);
    }
  }
  if (!only || only === 'augment') {
    benchAugment({ name: 'lenet5', spec: models.lenet5, training, backend, threads: THREADS, steps: STEPS, repeats: REPEATS, warmupMs: WARMUP_MS });
  }
  if (!only || only === 'threads') {
    const t = trainingOf('convnet');
    const runs = [];
    for (const threads of THREADS) runs.push(await benchTraining('convnet', convnet.model, threads, t, Math.max(5, Math.round(STEPS / 4))));
    const [one, ...more] = runs;
    console.log(`# threads: fashion-small-convnet's model (batch ${t['batch-size']}), data-parallel over worker threads`);
    spread('convnet 1 thread', one.rates);
    for (const r of more) {
      spread(`convnet ${r.threads} threads`, r.rates);
      console.log(`threads convnet ${backend} ${r.threads} threads ${Math.round(r.rate)} samples/s (1 thread ${Math.round(one.rate)}, ratio ${(r.rate / one.rate).toFixed(2)})`);
    }
  }
  if (!only || only === 'inference') await benchInference(backend);
  if (!only || only === 'replay') benchReplay(REPEATS);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
