import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { NoiseTransform } from '../../../pipeline-schema';
import { defaultedTransforms } from '../fixture';
import { noise } from './noise';
import type { SplitName } from './types';

/** As a loaded pipeline holds it: the schema's defaults filled in. */
function defaulted(t: NoiseTransform): Required<NoiseTransform> {
  return defaultedTransforms([t])[0] as Required<NoiseTransform>;
}

function noisy(length: number, t: NoiseTransform, split: SplitName, fill = 0): Float32Array {
  const data = new Float32Array(length).fill(fill);
  return noise.apply({ data, count: 1, shape: [1, 1, length] }, defaulted(t), split).data;
}

test('noise std=1 seed=1 on train: pinned draws, so a manifest digest stays valid across versions', () => {
  assert.deepEqual(Array.from(noisy(4, { type: 'noise', std: 1, seed: 1 }, 'train')), [
    -1.4145934581756592, -1.2289155721664429, 0.049697451293468475, -0.02039533294737339,
  ]);
});

test('noise applies by default to train only', () => {
  const t: NoiseTransform = { type: 'noise', std: 0.1 };
  assert.ok(noisy(8, t, 'train').some((x) => x !== 0));
  assert.deepEqual(Array.from(noisy(8, t, 'validation')), new Array(8).fill(0));
  assert.deepEqual(Array.from(noisy(8, t, 'test')), new Array(8).fill(0));
});

test('noise splits=[validation, test] leaves train alone', () => {
  const t: NoiseTransform = { type: 'noise', std: 0.1, splits: ['validation', 'test'] };
  assert.deepEqual(Array.from(noisy(8, t, 'train')), new Array(8).fill(0));
  assert.ok(noisy(8, t, 'validation').some((x) => x !== 0));
  assert.ok(noisy(8, t, 'test').some((x) => x !== 0));
});

test('same seed and split: same draws; another seed or split: other draws', () => {
  const t: NoiseTransform = { type: 'noise', std: 0.2, seed: 5, splits: ['train', 'test'] };
  const a = noisy(64, t, 'train');
  assert.deepEqual(noisy(64, t, 'train'), a);
  assert.notDeepEqual(noisy(64, { ...t, seed: 6 }, 'train'), a);
  assert.notDeepEqual(noisy(64, t, 'test'), a);
});

test('the draws do not depend on the pixels nor on how much follows: a sample sees the same noise', () => {
  const t: NoiseTransform = { type: 'noise', std: 0.3, seed: 2 };
  const onZeros = noisy(7, t, 'train');
  const onHalf = noisy(7, t, 'train', 0.5);
  onHalf.forEach((x, i) => assert.ok(Math.abs(x - 0.5 - onZeros[i]) < 1e-6, `pixel ${i}: ${x} - 0.5 vs ${onZeros[i]}`));
  assert.deepEqual(Array.from(noisy(9, t, 'train').subarray(0, 7)), Array.from(onZeros));
});

test('noise std=0.5 over 200k pixels has mean ~0 and standard deviation ~0.5', () => {
  const d = noisy(200_000, { type: 'noise', std: 0.5 }, 'train');
  let sum = 0;
  let sq = 0;
  for (const x of d) {
    sum += x;
    sq += x * x;
  }
  const mean = sum / d.length;
  const sd = Math.sqrt(sq / d.length - mean * mean);
  assert.ok(Math.abs(mean) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.5) < 0.005, `sd ${sd}`);
});

test('std=0 changes nothing; noise is left out of the preprocessing a consumer applies', () => {
  assert.deepEqual(Array.from(noisy(4, { type: 'noise', std: 0 }, 'train')), [0, 0, 0, 0]);
  assert.equal(noise.step(defaulted({ type: 'noise', std: 0.1 }), [1, 2, 2]), undefined);
});
