import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { cell, duration, integer, loss, percent, plusMinus, scientific, transforms } from './format';

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

test('transforms as words, in order, one type after another: pad, normalize, noise, and a type it does not know', () => {
  assert.equal(
    transforms([
      { type: 'pad', to: 32, value: 0 },
      { type: 'normalize', mean: 0.1307, std: 0.3081 },
    ]),
    'pad to 32 · normalize mean 0.1307 std 0.3081',
  );
  assert.equal(transforms([{ type: 'pad', to: 36, value: -0.4242 }]), 'pad to 36 with -0.4242');
  assert.equal(transforms([{ type: 'noise', std: 0.2, seed: 1, splits: ['train', 'validation'] }]), 'noise std 0.2 on train and validation (seed 1)');
  assert.equal(transforms([{ type: 'crop', size: [24, 24], centre: true }]), 'crop size [24,24] centre true');
  assert.equal(transforms([]), 'none');
});
