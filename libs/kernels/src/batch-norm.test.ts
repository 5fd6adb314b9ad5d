import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { batchNormTraining } from './batch-norm';
import { randomValues, relativeError, seededRandom, setUpBackends, sizeOf, useBackend } from '../testing';

before(setUpBackends);

/** y, mean, variance and the gradients of L = sum(y w) for x, gamma and beta, on one backend. */
async function run(backend: 'cpu' | 'wasm', x: Float32Array, w: Float32Array, gamma: Float32Array, beta: Float32Array, shape: number[]) {
  await useBackend(backend);
  return tf.tidy(() => {
    const c = shape[shape.length - 1];
    const [tx, tg, tb, tw] = [tf.tensor(x, shape), tf.tensor(gamma, [c]), tf.tensor(beta, [c]), tf.tensor(w, shape)];
    const { y, mean, variance } = batchNormTraining(tx, tg, tb, 1e-3);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTraining(a, g, b, 1e-3).y, tw)))([tx, tg, tb]);
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    return { y: read(y), mean: read(mean), variance: read(variance), dx: read(grads[0]), dgamma: read(grads[1]), dbeta: read(grads[2]) };
  });
}

// fashion-small-convnet's bn2 (a lane pattern of 32 floats), three channels (a pattern of 12), and a dense
// layer's [N, D] with 21 values: a remainder after the four-lane loops.
for (const shape of [[8, 14, 14, 32], [4, 5, 6, 3], [3, 7]]) {
  test(`batch norm x=[${shape}]: wasm's fused passes give cpu's built-ins' output, statistics and gradients`, async () => {
    const rand = seededRandom(sizeOf(shape));
    const c = shape[shape.length - 1];
    // Off-centre and scaled per channel, as a conv's output is.
    const x = randomValues(sizeOf(shape), rand).map((v, i) => v * (1 + (i % c)) + 3 - (i % c));
    const w = randomValues(sizeOf(shape), rand);
    const gamma = randomValues(c, rand).map((v) => v + 1.5);
    const beta = randomValues(c, rand);
    const cpu = await run('cpu', x, w, gamma, beta, shape);
    const wasm = await run('wasm', x, w, gamma, beta, shape);
    for (const key of ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'] as const) {
      const error = relativeError(wasm[key], cpu[key]);
      assert.ok(error < 1e-4, `${key}: relative error ${error}`);
    }
  });
}

test('on wasm, batch norm runs as one kernel forward and one backward', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([4, 3, 3, 8]);
  const [g, b] = [tf.ones([8]), tf.zeros([8])];
  const profile = await tf.profile(() => tf.grads((a: tf.Tensor) => tf.sum(batchNormTraining(a, g, b, 1e-3).y))([x])[0]);
  const names = profile.kernels.map((k) => k.name).filter((n) => n.startsWith('Trainyard'));
  assert.deepEqual(names, ['TrainyardBatchNorm', 'TrainyardBatchNormGrad']);
  tf.dispose([x, g, b]);
});
