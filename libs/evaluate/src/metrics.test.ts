import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { argmax, crossEntropy, MetricsAccumulator } from './metrics';

test('crossEntropy is -log softmax, stable for logits of 1000', () => {
  assert.ok(Math.abs(crossEntropy([0, 0], 0, 2, 1) - Math.log(2)) < 1e-12);
  assert.ok(Math.abs(crossEntropy([1000, 0, 1000], 0, 3, 0) - Math.log(2)) < 1e-12);
  assert.ok(Math.abs(crossEntropy([-1000, 0], 0, 2, 0) - 1000) < 1e-9);
});

test('argmax takes the first of equal maxima', () => {
  assert.equal(argmax([1, 3, 3, 2], 0, 4), 1);
  assert.equal(argmax([9, 1, 3, 3], 1, 3), 1);
});

test('accumulating in batches of 2 and 1 gives the counts of one pass', () => {
  const acc = new MetricsAccumulator(['x', 'y']);
  acc.add([2, 1, 0, 1], [0, 1], 2); // right, right
  acc.add([5, 0], [1], 1); // wrong
  const m = acc.result();
  assert.equal(m.samples, 3);
  assert.equal(m.accuracy, 2 / 3);
  assert.deepEqual(m.confusion, [[1, 0], [1, 1]]);
  assert.deepEqual(m.perClass, [
    { class: 'x', precision: 0.5, recall: 1, support: 1 },
    { class: 'y', precision: 1, recall: 0.5, support: 2 },
  ]);
});

test('the misclassified images are kept in test order across batches, with the softmax probability of the wrong class', () => {
  const m = new MetricsAccumulator(['a', 'b']);
  // Test images 0 and 1 in one batch, 2 and 3 in the next: 1 and 2 are wrong.
  m.add([2, 0, 0, Math.log(3)], [0, 0], 2);
  m.add([0, Math.log(4), 5, 0], [1, 1], 2);
  const wrong = m.result().misclassified!;
  assert.deepEqual(wrong.map(({ index, label, predicted }) => [index, label, predicted]), [[1, 'a', 'b'], [3, 'b', 'a']]);
  assert.ok(Math.abs(wrong[0].confidence - 0.75) < 1e-12, 'softmax([0, log 3]) gives b 3/4');
  assert.ok(Math.abs(wrong[1].confidence - Math.exp(5) / (Math.exp(5) + 1)) < 1e-12);
});
