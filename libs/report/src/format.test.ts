import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cell, duration, integer, loss, percent, plusMinus, scientific } from './format';

test('percent: 2 decimals; loss: 4 decimals; NaN and infinity written out', () => {
  assert.equal(percent(0.98765), '98.77%');
  assert.equal(percent(1), '100.00%');
  assert.equal(percent(0), '0.00%');
  assert.equal(loss(0.071234), '0.0712');
  assert.equal(loss(Number.NaN), 'NaN');
  assert.equal(loss(Number.POSITIVE_INFINITY), '∞');
});

test('scientific 3.2e-6 -> 3.20e-6; integer 61706 -> 61,706; duration 41.03 / 192 / 3725 s', () => {
  assert.equal(scientific(3.2e-6), '3.20e-6');
  assert.equal(scientific(0.0001), '1.00e-4');
  assert.equal(scientific(12), '1.20e1');
  assert.equal(integer(61_706), '61,706');
  assert.equal(integer(999), '999');
  assert.equal(integer(1_234_567), '1,234,567');
  assert.equal(duration(41.03), '41.0 s');
  assert.equal(duration(192), '3 min 12 s');
  assert.equal(duration(3725), '1 h 02 min');
});

test('cell escapes pipes and newlines', () => {
  assert.equal(cell('a|b\nc'), 'a\\|b c');
});

test('plusMinus: accuracy 98.79% ± 0.05 (points), loss 0.0432 ± 0.0012, no std: the mean alone', () => {
  assert.equal(plusMinus({ mean: 0.98789, std: 0.00051 }, 'percent'), '98.79% ± 0.05');
  assert.equal(plusMinus({ mean: 0.04321, std: 0.00123 }, 'loss'), '0.0432 ± 0.0012');
  assert.equal(plusMinus({ mean: 0.98789 }, 'percent'), '98.79%');
  assert.equal(plusMinus({ mean: Number.NaN, std: Number.NaN }, 'loss'), 'NaN ± NaN');
});
