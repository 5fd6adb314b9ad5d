import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './backend';
import { countCorrect, oneHot } from './labels';

before(async () => {
  await useBackend('wasm');
});

test("oneHot gives tf.oneHot's rows, a label out of range a row of zeros", () => {
  const labels = Int32Array.from([0, 3, 9, 2, 10, -1]);
  const ours = oneHot(labels, 10);
  const theirs = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  assert.deepEqual(ours.shape, [6, 10]);
  assert.equal(ours.dtype, 'float32');
  assert.deepEqual(Array.from(ours.dataSync()), Array.from(theirs.dataSync()));
  tf.dispose([ours, theirs]);
});

test('countCorrect counts the rows whose first largest logit is at the label, as tf.argMax picks it', () => {
  const logits = Float32Array.from([
    [0.1, 0.9, 0.3], // 1
    [2, 2, 1], // a tie: the first, 0
    [-1, -3, -0.5], // 2
    [5, 5, 5], // 0
  ].flat());
  const labels = Int32Array.from([1, 1, 2, 0]);
  const picked = tf.argMax(tf.tensor2d(logits, [4, 3]), 1);
  const theirs = Array.from(picked.dataSync()).filter((p, i) => p === labels[i]).length;
  assert.equal(countCorrect(logits, labels, 3), 3);
  assert.equal(countCorrect(logits, labels, 3), theirs);
  picked.dispose();
});
