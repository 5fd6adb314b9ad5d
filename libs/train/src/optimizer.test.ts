import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { withDefaults, type ResolvedTraining, type Training } from '../../pipeline-schema';
import { makeOptimizer } from './optimizer';
import { randomValues, seededRandom, setUpBackends, useBackend } from '../../kernels/testing';

before(setUpBackends);

// A kernel whose size is a multiple of 4, a bias of 6 and a kernel of 7 (both end in a partial SIMD vector).
const SHAPES: Record<string, { shape: number[]; kernel: boolean }> = {
  k: { shape: [5, 5, 1, 4], kernel: true },
  b: { shape: [6], kernel: false },
  odd: { shape: [7], kernel: true },
};

/**
 * Weights after five updates from the same seeded gradients, with the learning rate changed after the third.
 * `shared`: the initial values stay held beside the variables, so their data is not theirs alone.
 */
async function train(backend: 'cpu' | 'wasm', t: ResolvedTraining, reference: boolean, shared = false): Promise<Record<string, Float32Array>> {
  await useBackend(backend);
  const rand = seededRandom(3);
  const initial = Object.entries(SHAPES).map(([name, { shape }]) => [name, tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), rand), shape)] as const);
  const vars = Object.fromEntries(initial.map(([name, value]) => [name, tf.variable(value, true, `adam-${name}`)]));
  if (!shared) tf.dispose(initial.map(([, value]) => value));
  const kernels = new Set(Object.entries(SHAPES).filter(([, s]) => s.kernel).map(([name]) => vars[name]));
  const ours = reference ? undefined : makeOptimizer(t);
  // What the optimizer did before it had a fused step: tf.train.adam, the L2 term added and AdamW's decay applied first.
  const theirs = reference ? tf.train.adam(t['learning-rate'], t.beta1, t.beta2, t.epsilon) : undefined;
  let lr = t['learning-rate'];
  for (let step = 0; step < 5; step++) {
    if (step === 3) {
      lr /= 10;
      ours?.setLearningRate(lr);
      if (theirs) (theirs as unknown as { learningRate: number }).learningRate = lr;
    }
    const grads: tf.NamedTensorMap = Object.fromEntries(Object.entries(vars).map(([name, v]) => [v.name, tf.tensor(randomValues(v.size, rand), v.shape)]));
    if (ours) ours.update(grads, kernels);
    else {
      for (const k of kernels) if (t.l2 > 0) grads[k.name] = tf.add(grads[k.name], tf.mul(k, t.l2));
      if (t.optimizer === 'adamw') for (const k of kernels) k.assign(tf.mul(k, 1 - lr * t['weight-decay']));
      theirs!.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    }
  }
  const out = Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, v.dataSync() as Float32Array]));
  ours?.dispose();
  theirs?.dispose();
  tf.dispose([...Object.values(vars), ...initial.map(([, value]) => value)]);
  return out;
}

const CASES: [string, Training][] = [
  ['Adam', { optimizer: 'adam', 'learning-rate': 0.01 }],
  ['Adam with L2', { optimizer: 'adam', 'learning-rate': 0.01, l2: 0.05 }],
  ['AdamW', { optimizer: 'adamw', 'learning-rate': 0.01, 'weight-decay': 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }],
];
for (const [what, options] of CASES) {
  test(`${what}: the fused step gives tf.train.adam's bits, on cpu and on wasm (one SIMD pass, in place or not)`, async () => {
    const t = withDefaults('Training', options) as ResolvedTraining;
    const expected = await train('cpu', t, true);
    for (const [backend, shared] of [['cpu', false], ['wasm', false], ['wasm', true]] as const) {
      const actual = await train(backend, t, false, shared);
      for (const name of Object.keys(SHAPES)) assert.deepEqual(actual[name], expected[name], `${backend}${shared ? ' shared' : ''} ${name}`);
    }
  });
}

/**
 * The kernels one update of w runs (after a first that creates the moments), whether w kept its data, and how
 * many tensors it added; with `other`, a copy of w taken before it keeps w's data too, and keeps its values.
 */
async function secondUpdate(w: tf.Variable, other = false): Promise<{ kernels: string[]; sameData: boolean; newTensors: number }> {
  const t = withDefaults('Training', { optimizer: 'adam', l2: 0.01 }) as ResolvedTraining;
  const optimizer = makeOptimizer(t);
  optimizer.update({ [w.name]: tf.ones(w.shape) }, new Set([w]));
  const [dataId, before] = [w.dataId, w.dataSync().slice()];
  const copy = other ? tf.clone(w) : undefined;
  const grad = tf.ones(w.shape);
  const tensors = tf.memory().numTensors;
  const profile = await tf.profile(() => {
    optimizer.update({ [w.name]: grad }, new Set([w]));
    return [] as unknown as tf.Tensor;
  });
  assert.notDeepEqual(w.dataSync(), before);
  if (copy) assert.deepEqual(copy.dataSync(), before);
  const result = { kernels: profile.kernels.map((k) => k.name).filter((n) => n !== 'Identity'), sameData: w.dataId === dataId, newTensors: tf.memory().numTensors - tensors };
  optimizer.dispose();
  copy?.dispose();
  return result;
}

test('on wasm an Adam update writes a weight and its moments in place: no kernel, no new tensor', async () => {
  await useBackend('wasm');
  const w = tf.variable(tf.ones([10]), true, 'adam-one');
  // The gradient is disposed: one tensor fewer.
  assert.deepEqual(await secondUpdate(w), { kernels: [], sameData: true, newTensors: -1 });
  w.dispose();
});

test('on wasm a weight held elsewhere too gets new data, one kernel, and the other holder keeps the old values', async () => {
  await useBackend('wasm');
  const w = tf.variable(tf.ones([10]), true, 'adam-held');
  const { kernels, sameData } = await secondUpdate(w, true);
  assert.deepEqual({ kernels, sameData }, { kernels: ['TrainyardAdam'], sameData: false });
  w.dispose();
});

// Three filters, three columns: fewer than our conv and product take, so the built-ins run them.
const BUILTIN_READS: [string, number[], number[], (x: tf.Tensor, w: tf.Tensor) => tf.Tensor][] = [
  ['convolution', [2, 5, 5, 2], [3, 3, 2, 3], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')],
  ['product', [6, 5], [5, 3], (x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)],
];
for (const [what, xShape, wShape, op] of BUILTIN_READS) {
  test(`on wasm a weight that a built-in ${what} reads sees every update (XNNPACK keeps operands packed by data)`, async () => {
    await useBackend('wasm');
    const t = withDefaults('Training', { optimizer: 'adam', 'learning-rate': 0.1 }) as ResolvedTraining;
    const rand = seededRandom(9);
    const x = tf.tensor(randomValues(xShape.reduce((a, b) => a * b), rand), xShape);
    const init = tf.tensor(randomValues(wShape.reduce((a, b) => a * b), rand), wShape);
    const w = tf.variable(init, true, `adam-${what}`);
    init.dispose();
    const optimizer = makeOptimizer(t);
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => op(x, w).dataSync());
      optimizer.update({ [w.name]: tf.tensor(randomValues(w.size, rand), w.shape) }, new Set([w]));
      const seen = tf.tidy(() => op(x, w).dataSync());
      const fresh = tf.tidy(() => op(x, tf.tensor(w.dataSync(), w.shape)).dataSync());
      assert.deepEqual(seen, fresh, `step ${step}`);
    }
    optimizer.dispose();
    tf.dispose([x, w]);
  });
}
