import { strict as assert } from 'node:assert';
import { availableParallelism } from 'node:os';
import { before, test } from 'node:test';
import { multiplyAdds, type ModelSpec } from '../graph';
import { loadPipeline } from '../pipeline-file';
import { withDefaults, type ResolvedTraining, type Training } from '../pipeline-schema';
import { resolveThreads } from '../backend-choice';
import { evaluate, makeTrainStep, startWorkers, train, useBackend } from './index';
import { quiet, synthetic } from './testing';

const layers: ModelSpec['layers'] = [
  { id: 'C1', type: 'conv', filters: 3, kernel: 3, activation: 'tanh' },
  { id: 'S2', type: 'avgpool' },
  { type: 'flatten' },
  { id: 'D', type: 'dense', units: 8, activation: 'relu' },
  { id: 'OUT', type: 'dense', units: 3 },
];
const plain: ModelSpec = { input: [1, 8, 8], layers };
const normed: ModelSpec = { input: [1, 8, 8], layers: [layers[0], { id: 'BN', type: 'batchnorm' }, ...layers.slice(1)] };

// 100 images in batches of 32: the last batch of 4 leaves a third thread idle.
const data = { train: synthetic(100, 1), validation: synthetic(30, 2), probe: synthetic(4, 3) };

function run(model: ModelSpec, threads: number, training: Training = {}) {
  const t = withDefaults('Training', { epochs: 2, 'batch-size': 32, seed: 5, ...training }) as ResolvedTraining;
  return train({ model, training: t, classes: 3, ...data, progress: quiet, threads });
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

before(async () => {
  await useBackend('wasm');
});

test('threads=2: the summed slice gradients train the same model as one thread, up to float rounding', async () => {
  const one = await run(plain, 1);
  const two = await run(plain, 2);
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  for (const name of Object.keys(one.weights)) {
    const d = maxDiff(one.weights[name].data, two.weights[name].data);
    assert.ok(d < 1e-4, `${name}: ${d}`);
  }
  assert.ok(Math.abs(one.history[1].trainLoss - two.history[1].trainLoss) < 1e-5, `${one.history[1].trainLoss} vs ${two.history[1].trainLoss}`);
  assert.equal(one.history[1].trainAccuracy, two.history[1].trainAccuracy);
});

test('threads=3 with batch norm: deterministic, and the moving statistics follow every slice', async () => {
  const a = await run(normed, 3);
  const b = await run(normed, 3);
  assert.deepEqual(a.weights, b.weights);
  assert.deepEqual(a.history.map((h) => h.trainLoss), b.history.map((h) => h.trainLoss));
  const moving = a.weights['BN/moving_mean'].data;
  assert.ok(moving.some((v) => v !== 0), 'the moving mean moved');
  // Slices normalise by their own statistics, so the result differs from one thread's, a little.
  const one = await run(normed, 1);
  const d = maxDiff(one.weights['BN/moving_mean'].data, moving);
  assert.ok(d > 0 && d < 0.05, `moving mean: one thread vs three differ by ${d}`);
});

test('a validation pass shared out over the threads gives one thread\'s loss and accuracy, bit for bit', async () => {
  const t = withDefaults('Training', { 'batch-size': 32, seed: 5 }) as ResolvedTraining;
  const train = synthetic(64, 1);
  for (const [model, threads] of [[plain, 2], [normed, 3]] as const) {
    const stepper = makeTrainStep(model, t, 3, threads);
    try {
      for (let step = 0; step < 2; step++) stepper.run(train.images.slice(step * 32 * 64, (step + 1) * 32 * 64), Int32Array.from(train.labels.subarray(step * 32, (step + 1) * 32)), step);
      // 2,500 images: batches of 1,000, 1,000 and 500; then 3,200, which needs more room in the workers' buffers.
      for (const count of [2500, 3200, 2500]) {
        const split = synthetic(count, count);
        const shared = stepper.evaluate(split);
        const alone = evaluate(stepper.model.forward, split, 64, 3);
        assert.equal(shared.loss, alone.loss, `${threads} threads, ${count} images`);
        assert.equal(shared.accuracy, alone.accuracy);
        assert.ok(Number.isFinite(shared.loss) && shared.accuracy > 0);
      }
    } finally {
      stepper.dispose();
    }
  }
});

test('weights assigned between steps reach the workers: the next pass and step see them as a fresh model does', async () => {
  const t = withDefaults('Training', { 'batch-size': 32, seed: 5 }) as ResolvedTraining;
  const train = synthetic(96, 4);
  const split = synthetic(2500, 9);
  const batch = (k: number) => [train.images.slice(k * 32 * 64, (k + 1) * 32 * 64), Int32Array.from(train.labels.subarray(k * 32, (k + 1) * 32))] as const;
  const fresh = makeTrainStep(plain, t, 3, 2);
  const initial = fresh.model.weights();
  const expected = { evaluation: fresh.evaluate(split), loss: fresh.run(...batch(2), 2).loss };
  fresh.dispose();
  const moved = makeTrainStep(plain, t, 3, 2);
  try {
    moved.run(...batch(0), 0);
    moved.run(...batch(1), 1);
    moved.model.assign(initial);
    assert.deepEqual(moved.evaluate(split), expected.evaluation);
    assert.equal(moved.run(...batch(2), 2).loss, expected.loss);
  } finally {
    moved.dispose();
  }
});

test('workers started ahead, while the data loads, are the ones a training takes, with the same result', async () => {
  const now = await run(plain, 2);
  assert.equal(startWorkers(2, 32, 'wasm'), 1);
  const ahead = await run(plain, 2);
  assert.equal(startWorkers(1, 32, 'wasm'), 0, 'the worker started ahead was taken');
  assert.deepEqual(ahead.weights, now.weights);
  assert.deepEqual(ahead.history, now.history.map((h, i) => ({ ...h, seconds: ahead.history[i].seconds, samplesPerSecond: ahead.history[i].samplesPerSecond })));
});

test('more threads than a batch has images: the extra threads idle', async () => {
  const r = await run(plain, 4, { 'batch-size': 3, epochs: 1 });
  assert.equal(r.threads, 3);
  assert.ok(Number.isFinite(r.history[0].trainLoss));
});

test('resolveThreads: the file, then TRAINYARD_THREADS; auto takes the cores, one per 10M multiply-adds of a batch', async () => {
  const saved = process.env.TRAINYARD_THREADS;
  const lenet = multiplyAdds(loadPipeline('pipelines/lenet-l2.yaml').config.model);
  const mlp = multiplyAdds({ input: [1, 32, 32], layers: [{ type: 'flatten' }, { type: 'dense', units: 60, activation: 'tanh' }, { type: 'dense', units: 10 }] });
  try {
    delete process.env.TRAINYARD_THREADS;
    assert.equal(resolveThreads('auto', 64, lenet), Math.min(availableParallelism(), 2), `LeNet-5: ${lenet} per image`);
    assert.equal(resolveThreads('auto', 16, lenet), 1);
    assert.equal(resolveThreads('auto', 64, mlp), 1, `the MLP: ${mlp} per image`);
    assert.equal(resolveThreads('auto', 4096, lenet), availableParallelism());
    assert.equal(resolveThreads(3, 64, mlp), 3);
    assert.equal(resolveThreads(8, 4, lenet), 4, 'never more threads than images');
    process.env.TRAINYARD_THREADS = '1';
    assert.equal(resolveThreads(3, 64, lenet), 1);
    process.env.TRAINYARD_THREADS = 'two';
    assert.throws(() => resolveThreads('auto', 64, lenet), /TRAINYARD_THREADS must be auto or a whole number from 1 to 99 \(got 'two'\)/);
  } finally {
    if (saved === undefined) delete process.env.TRAINYARD_THREADS;
    else process.env.TRAINYARD_THREADS = saved;
  }
});
