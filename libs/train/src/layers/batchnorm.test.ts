import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../../graph';
import { useBackend } from '../backend';
import { buildModel } from '../model';

before(async () => {
  await useBackend('wasm');
});

/** Per-channel mean and biased variance of NHWC data whose last axis has `channels` entries. */
function stats(data: Float32Array, channels: number): { mean: number[]; variance: number[]; n: number } {
  const n = data.length / channels;
  const mean = Array.from({ length: channels }, (_, c) => data.filter((_, i) => i % channels === c).reduce((a, b) => a + b, 0) / n);
  const variance = mean.map((m, c) => data.filter((_, i) => i % channels === c).reduce((a, v) => a + (v - m) ** 2, 0) / n);
  return { mean, variance, n };
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths`);
  for (let i = 0; i < actual.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

/** Data with a different offset and spread per channel, so per-channel statistics matter. */
function batch(count: number, channels: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => (i % channels) * 2 - 1 + (1 + (i % channels)) * Math.sin(i * 12.9898));
}

const cases: { name: string; spec: ModelSpec; n: number; channels: number; momentum: number; epsilon: number }[] = [
  { name: 'x=[3,4,4] N=5 (after a conv: over N, H, W) momentum=0.9', spec: { input: [3, 4, 4], layers: [{ id: 'BN', type: 'batchnorm' }, { type: 'flatten' }] }, n: 5, channels: 3, momentum: 0.9, epsilon: 1e-5 },
  { name: 'x=[4] N=6 (after a dense: over N) momentum=0.5 epsilon=1e-2', spec: { input: [4], layers: [{ id: 'BN', type: 'batchnorm', momentum: 0.5, epsilon: 1e-2 }] }, n: 6, channels: 4, momentum: 0.5, epsilon: 1e-2 },
];

for (const c of cases) {
  test(`batchnorm ${c.name}: training normalises with the batch, the step's update moves the moving stats, inference uses them`, () => {
    const model = buildModel(c.spec, 1);
    try {
      const size = c.spec.input.reduce((a, b) => a * b, 1);
      const data = batch(c.n * size, c.channels); // NHWC: the channel is the fastest axis
      const x = tf.tensor2d(data, [c.n, size]);
      const { mean, variance, n } = stats(data, c.channels);

      // Training: (x - batch mean) / sqrt(biased batch variance + epsilon), gamma 1 and beta 0 at the start.
      const train = tf.tidy(() => model.forward(x, true));
      close(train.dataSync(), Array.from(data, (v, i) => (v - mean[i % c.channels]) / Math.sqrt(variance[i % c.channels] + c.epsilon)), 1e-4, 'training output');
      train.dispose();
      // Nothing moves until the update is applied.
      assert.deepEqual(Array.from(model.weights()['BN/moving_mean'].data), new Array(c.channels).fill(0));

      model.applyStateUpdates();
      const movingMean = mean.map((m) => c.momentum * 0 + (1 - c.momentum) * m);
      const movingVariance = variance.map((v) => c.momentum * 1 + (1 - c.momentum) * v * (n / (n - 1))); // unbiased, as PyTorch
      close(model.weights()['BN/moving_mean'].data, movingMean, 1e-5, 'moving_mean');
      close(model.weights()['BN/moving_variance'].data, movingVariance, 1e-5, 'moving_variance');

      // Inference: the moving statistics, not the batch's.
      const infer = tf.tidy(() => model.forward(x, false));
      close(infer.dataSync(), Array.from(data, (v, i) => (v - movingMean[i % c.channels]) / Math.sqrt(movingVariance[i % c.channels] + c.epsilon)), 1e-4, 'inference output');
      infer.dispose();
      // A second update starts from the moved statistics.
      tf.tidy(() => model.forward(x, true));
      model.applyStateUpdates();
      close(model.weights()['BN/moving_mean'].data, movingMean.map((m, i) => c.momentum * m + (1 - c.momentum) * mean[i]), 1e-5, 'moving_mean after 2 steps');
      x.dispose();
    } finally {
      model.dispose();
    }
  });
}

test('batchnorm: gamma and beta get gradients and an SGD step on trainableVariables; the moving stats get none and follow the momentum rule', () => {
  const spec: ModelSpec = {
    input: [2, 3, 3],
    layers: [{ id: 'BN', type: 'batchnorm' }, { type: 'flatten' }, { id: 'OUT', type: 'dense', units: 2 }],
  };
  const model = buildModel(spec, 2);
  try {
    assert.deepEqual(model.trainableVariables.map((v) => v.name), ['BN/gamma', 'BN/beta', 'OUT/kernel', 'OUT/bias']);
    assert.equal(model.variables.get('BN/moving_mean')!.trainable, false);
    const data = batch(4 * 18, 2);
    const x = tf.tensor2d(data, [4, 18]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
    const optimizer = tf.train.sgd(0.1);
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, true)) as tf.Scalar, model.trainableVariables);
    assert.deepEqual(Object.keys(grads).sort(), ['BN/beta', 'BN/gamma', 'OUT/bias', 'OUT/kernel']);
    optimizer.applyGradients(grads);
    model.applyStateUpdates();
    const w = model.weights();
    assert.ok(w['BN/gamma'].data.some((g) => g !== 1) && w['BN/beta'].data.some((b) => b !== 0), 'gamma and beta move');
    const { mean } = stats(data, 2);
    close(w['BN/moving_mean'].data, mean.map((m) => 0.1 * m), 1e-5, 'moving_mean');
    tf.dispose([x, y, value, ...Object.values(grads)]);
    optimizer.dispose();
  } finally {
    model.dispose();
  }
});

test('training forwards and state updates leak no tensors; unapplied updates are replaced, then freed by dispose', () => {
  const spec: ModelSpec = { input: [2, 4, 4], layers: [{ id: 'C1', type: 'conv', filters: 3, kernel: 3 }, { id: 'BN', type: 'batchnorm' }, { type: 'flatten' }] };
  const start = tf.memory().numTensors;
  const model = buildModel(spec, 3);
  const built = tf.memory().numTensors;
  const x = tf.tensor2d(batch(2 * 32, 2), [2, 32]);
  const forward = (training: boolean) => tf.tidy(() => void model.forward(x, training));
  for (let i = 0; i < 3; i++) {
    forward(true);
    model.applyStateUpdates();
    forward(false);
  }
  assert.equal(tf.memory().numTensors, built + 1, 'after three steps: only x is new');
  forward(true);
  forward(true);
  assert.equal(tf.memory().numTensors, built + 1 + 2, "two pending updates (mean, variance), the first forward's replaced");
  model.applyStateUpdates();
  assert.equal(tf.memory().numTensors, built + 1);
  // A step as the trainer takes it: gradients on the trainable variables, SGD (no slots), then the state.
  const optimizer = tf.train.sgd(0.1);
  const ready = tf.memory().numTensors; // the optimizer keeps its learning rate as a tensor
  const loss = () => tf.sum(tf.square(model.forward(x, true))) as tf.Scalar;
  for (let i = 0; i < 2; i++) {
    const { value, grads } = tf.variableGrads(loss, model.trainableVariables);
    optimizer.applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    model.applyStateUpdates();
  }
  assert.equal(tf.memory().numTensors, ready, 'after two optimizer steps');
  optimizer.dispose();
  forward(true);
  model.dispose();
  x.dispose();
  assert.equal(tf.memory().numTensors, start, 'dispose frees variables and pending updates');
});
