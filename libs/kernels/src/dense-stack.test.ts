import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { SCALED_TANH } from '../../graph';
import { crossEntropy } from './cross-entropy';
import { dense, type DenseActivation } from './dense';
import { denseStackGradients, type StackLayer } from './dense-stack';
import { assertNoLeaks, randomValues, seededRandom, setUpBackends, useBackend } from '../testing';

before(setUpBackends);

interface Case {
  what: string;
  batch: number;
  input: number;
  layers: [number, DenseActivation][];
}

// The bench's MLP, the shipped one (mnist-lenet-vs-mlp: ReLU, widths 57 and 48), and shapes with remainders.
const CASES: Case[] = [
  { what: 'tanh, linear', batch: 64, input: 1024, layers: [[60, { scale: 1, amplitude: 1 }], [10, 'linear']] },
  { what: 'relu, relu, linear', batch: 32, input: 300, layers: [[57, 'relu'], [48, 'relu'], [10, 'linear']] },
  { what: 'scaled tanh, relu, scaled tanh', batch: 7, input: 13, layers: [[6, { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A }], [5, 'relu'], [4, { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A }]] },
];

/** Weights, biases, an input and one-hot labels for a case, from a seed. */
function make({ batch, input, layers }: Case, seed: number) {
  const rand = seededRandom(seed);
  const values = (shape: number[]) => tf.tensor(randomValues(shape.reduce((a, b) => a * b), rand), shape);
  let width = input;
  const stack: StackLayer[] = layers.map(([units, activation]) => {
    const layer = { w: values([width, units]), bias: values([units]), activation };
    width = units;
    return layer;
  });
  const x = values([batch, input]);
  const classes = width;
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % classes), 'int32'), classes), 'float32'));
  return { stack, x, labels, dispose: () => tf.dispose([x, labels, ...stack.flatMap((l) => [l.w, l.bias])]) };
}

const bits = (t: tf.Tensor | Float32Array) => Array.from(new Uint32Array(Float32Array.from(t instanceof tf.Tensor ? (t.dataSync() as Float32Array) : t).buffer));

for (const c of CASES) {
  test(`a dense stack (${c.what}) without the tape: the loss, logits and gradients the tape gives, bit for bit`, async () => {
    await useBackend('wasm');
    const { stack, x, labels, dispose } = make(c, c.input);
    const scale = 0.5;
    const variables = stack.flatMap((l) => [l.w, l.bias]);
    let logits!: tf.Tensor;
    const taped = tf.grads((...vs: tf.Tensor[]) => {
      let y = x;
      for (let i = 0; i < stack.length; i++) y = dense(y, vs[2 * i], vs[2 * i + 1], stack[i].activation)!;
      logits = tf.keep(y);
      return crossEntropy(labels, y, scale);
    });
    const loss = tf.tidy(() => crossEntropy(labels, stack.reduce((y, l) => dense(y, l.w, l.bias, l.activation)!, x), scale));
    const expected = taped(variables);
    const direct = denseStackGradients(x, labels, stack, scale)!;
    assert.ok(direct, 'the stack takes these layers');
    assert.deepEqual(bits(new Float32Array([direct.loss])), bits(loss));
    assert.deepEqual(bits(direct.logits), bits(logits));
    direct.grads.forEach((g, i) => {
      assert.deepEqual(bits(g.w), bits(expected[2 * i]), `layer ${i} w`);
      assert.deepEqual(bits(g.bias), bits(expected[2 * i + 1]), `layer ${i} bias`);
    });
    tf.dispose([loss, logits, ...expected, ...direct.grads.flatMap((g) => [g.w, g.bias])]);
    dispose();
  });
}

test('a dense stack declines (undefined, nothing run) off wasm and where a layer does not take the fused kernel', async () => {
  const [wide] = CASES;
  await useBackend('cpu');
  const onCpu = make(wide, 1);
  assert.equal(denseStackGradients(onCpu.x, onCpu.labels, onCpu.stack, 1), undefined);
  onCpu.dispose();
  await useBackend('wasm');
  for (const c of [{ ...wide, batch: 2 }, { ...wide, layers: [[60, 'relu'], [3, 'linear']] as Case['layers'] }]) {
    const { x, labels, stack, dispose } = make(c, 2);
    const before = tf.backend().numDataIds();
    assert.equal(denseStackGradients(x, labels, stack, 1), undefined, c.what);
    assert.equal(tf.backend().numDataIds(), before);
    dispose();
  }
  const { x, labels, stack, dispose } = make(wide, 3);
  assert.equal(denseStackGradients(x, tf.slice(labels, [0, 0], [32, 10]), stack, 1), undefined, 'labels of another batch');
  dispose();
});

test('a dense stack leaves nothing behind but its gradients, and shows its kernels in tf.profile', async () => {
  await useBackend('wasm');
  const { x, labels, stack, dispose } = make(CASES[1], 4);
  assertNoLeaks(() => tf.dispose(denseStackGradients(x, labels, stack, 1)!.grads.flatMap((g) => [g.w, g.bias])));
  const profile = await tf.profile(() => {
    tf.dispose(denseStackGradients(x, labels, stack, 1)!.grads.flatMap((g) => [g.w, g.bias]));
  });
  const dense3 = ['TrainyardDense', 'TrainyardDense', 'TrainyardDense'];
  const backward = ['TrainyardDenseGrad', 'BatchMatMul', 'TrainyardDenseGrad', 'BatchMatMul', 'TrainyardDenseGrad'];
  assert.deepEqual(
    profile.kernels.map((k) => k.name),
    [...dense3, 'TrainyardCrossEntropy', 'TrainyardCrossEntropyGrad', ...backward],
  );
  dispose();
});
