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
