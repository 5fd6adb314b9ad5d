import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ParityError } from './errors';
import { assertParity, compareParity, short } from './parity';

const probe = { indices: [0, 1], logits: [[1, 2, 3], [3, 2, 1]] };

test('equal logits pass, with argmax agreeing on every row', () => {
  const r = compareParity(Float32Array.from([1, 2, 3, 3, 2, 1]), probe, 1e-4);
  assert.deepEqual(r, { probeSize: 2, tolerance: 1e-4, maxAbsDiff: 0, maxScaledDiff: 0, at: [0, 0], argmaxAgree: true, argmaxAgreeCount: 2, ok: true });
  assertParity(r);
});

test('a NaN logit fails however large the tolerance', () => {
  const r = compareParity(Float32Array.from([1, 2, 3, 3, NaN, 1]), probe, 1e9);
  assert.equal(r.ok, false);
  assert.deepEqual(r.at, [1, 1]);
  assert.throws(() => assertParity(r), /max \|diff\| Infinity at probe 1, class 1/);
});

test('argmax disagreeing fails even within the tolerance', () => {
  const r = compareParity(Float32Array.from([1, 2, 3, 3, 3.00001, 1]), { indices: [0, 1], logits: [[1, 2, 3], [3, 3, 1]] }, 1e-4);
  assert.equal(r.maxAbsDiff <= 1e-4, true);
  assert.equal(r.argmaxAgree, false);
  assert.throws(
    () => assertParity(r),
    (e: unknown) => e instanceof ParityError && e.code === 'TY_PARITY' && /; argmax agrees on 1 of 2$/.test(e.message),
  );
});

test('a ParityResult read back from metrics.json, without the count, still explains itself', () => {
  const r = { probeSize: 64, tolerance: 1e-4, maxAbsDiff: 0.0032, maxScaledDiff: 0.0032, at: [5, 7] as [number, number], argmaxAgree: true, ok: false };
  assert.throws(() => assertParity(r), {
    message: 'ONNX logits differ from TensorFlow.js: max |diff| 3.2e-3 at probe 5, class 7 (tolerance 1e-4); argmax agrees on all 64',
  });
});

test('differences print with two significant digits', () => {
  assert.deepEqual([3.2e-3, 1e-4, 0.25, 5, 123456, 0, Infinity].map(short), ['3.2e-3', '1e-4', '0.25', '5', '1.2e5', '0', 'Infinity']);
});

test('differences count against the row scale max(1, largest |logit|): large logits get a proportionate allowance', () => {
  const probe = { indices: [0, 1], logits: [[0.5, -0.2, 0.1], [120, -40, 3]] };
  // 4e-3 off on a row whose largest logit is 120: 3.3e-5 of its scale.
  const big = compareParity([0.5, -0.2, 0.1, 120.004, -40, 3], probe, 1e-4);
  assert.equal(big.ok, true);
  assert.ok(Math.abs(big.maxScaledDiff - 0.004 / 120) < 1e-9);
  assert.deepEqual(big.at, [1, 0]);
  // The same 4e-3 on the row of small logits fails.
  assert.equal(compareParity([0.504, -0.2, 0.1, 120, -40, 3], probe, 1e-4).ok, false);
});
