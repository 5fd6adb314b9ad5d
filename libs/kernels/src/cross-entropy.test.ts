import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { crossEntropy } from './cross-entropy';
import { randomValues, relativeError, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

/** The loss and its gradient on logits, by our kernel or by tf.losses (on cpu). */
async function lossAndGrad(backend: 'cpu' | 'wasm', logits: Float32Array, labels: Float32Array, shape: [number, number], scale: number, ours: boolean) {
  await useBackend(backend);
  return tf.tidy(() => {
    const y = tf.tensor2d(labels, shape);
    const f = (x: tf.Tensor) => (ours ? crossEntropy(y, x, scale) : tf.mul(tf.losses.softmaxCrossEntropy(y, x), scale));
    const { value, grad } = tf.valueAndGrad(f)(tf.tensor2d(logits, shape));
    return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
  });
}

for (const [what, shape, soft] of [
  ['one-hot labels, batch 64 of 10 classes', [64, 10], false],
  ['soft labels, batch 3 of 7 classes', [3, 7], true],
] as const) {
  test(`cross-entropy on wasm (one kernel each way) matches tf.losses.softmaxCrossEntropy: ${what}`, async () => {
    const rand = seededRandom(shape[0]);
    // Large logits too: the row maximum keeps exp from overflowing.
    const logits = randomValues(shape[0] * shape[1], rand).map((v, i) => (i % 13 === 0 ? v * 200 : v * 4));
    const labels = new Float32Array(shape[0] * shape[1]);
    for (let i = 0; i < shape[0]; i++) {
      if (soft) for (let k = 0; k < shape[1]; k++) labels[i * shape[1] + k] = 1 / shape[1];
      else labels[i * shape[1] + Math.floor(rand() * shape[1])] = 1;
    }
    const expected = await lossAndGrad('cpu', logits, labels, [...shape], 0.5, false);
    const actual = await lossAndGrad('wasm', logits, labels, [...shape], 0.5, true);
    assert.ok(Number.isFinite(actual.loss));
    assert.ok(Math.abs(actual.loss - expected.loss) <= 1e-5 * Math.abs(expected.loss), `loss ${actual.loss} vs ${expected.loss}`);
    assert.ok(relativeError(actual.grad, expected.grad) < 1e-5, `gradient: relative error ${relativeError(actual.grad, expected.grad)}`);
  });
}

test('on wasm the loss is one kernel forward and one backward', async () => {
  await useBackend('wasm');
  const y = tf.oneHot(tf.tensor1d([1, 0], 'int32'), 3);
  const profile = await tf.profile(() => tf.grad((x: tf.Tensor) => crossEntropy(y, x))(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])));
  // (Identity: tfjs saving the inputs for the backward pass, without a copy on wasm.)
  assert.deepEqual(profile.kernels.map((k) => k.name).filter((n) => n !== 'Identity'), ['TrainyardCrossEntropy', 'TrainyardCrossEntropyGrad']);
});

test("on wasm each backward pass takes its own logits' log-sum-exps, with two losses' forward passes before both", async () => {
  const rand = seededRandom(5);
  const [a, b] = [randomValues(12, rand), randomValues(12, rand).map((v) => v * 30)];
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1, 1], 'int32'), 3));
  const grads = async (backend: 'cpu' | 'wasm') => {
    await useBackend(backend);
    return tf.tidy(() => {
      const y = tf.tensor2d(labels.dataSync(), [4, 3]);
      const f = (x1: tf.Tensor, x2: tf.Tensor) => tf.add(crossEntropy(y, x1), tf.mul(crossEntropy(y, x2), 2)) as tf.Scalar;
      return tf.grads(f)([tf.tensor2d(a, [4, 3]), tf.tensor2d(b, [4, 3])]).map((g) => g.dataSync() as Float32Array);
    });
  };
  const [expected, actual] = [await grads('cpu'), await grads('wasm')];
  for (const i of [0, 1]) assert.ok(relativeError(actual[i], expected[i]) < 1e-5, `logits ${i + 1}: relative error ${relativeError(actual[i], expected[i])}`);
  labels.dispose();
});
