import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { meanStd } from './stats';

test('meanStd [2,4,4,4,5,5,7,9]: mean 5, sample std sqrt(32/7)', () => {
  const { n, mean, std } = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(n, 8);
  assert.equal(mean, 5);
  // squared deviations 9+1+1+1+0+0+4+16 = 32, over n - 1 = 7 (the population std would be 2)
  assert.ok(Math.abs((std as number) - Math.sqrt(32 / 7)) < 1e-12);
});

test('meanStd n=1: no std; n=2: |a - b| / sqrt(2); a NaN shows in both', () => {
  assert.deepEqual(meanStd([0.98]), { n: 1, mean: 0.98 });
  assert.ok(Math.abs((meanStd([1, 2]).std as number) - 1 / Math.SQRT2) < 1e-12);
  const diverged = meanStd([0.1, Number.NaN]);
  assert.ok(Number.isNaN(diverged.mean) && Number.isNaN(diverged.std as number));
});
