import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { withDefaults, type Augment, type ResolvedTraining } from '../../pipeline-schema';
import { flipHorizontal, makeAugment, shift, type AugmentSpec } from './augment';
import { clampIndex as clamp, pixelAt as at, ramp } from '../../kernels/testing';

/** The schema's defaults under the given settings, as a loaded pipeline has them. */
const spec = (augment: Augment): AugmentSpec => (withDefaults('Training', { augment }) as ResolvedTraining).augment!;

test('flipHorizontal h=2 w=3 c=2: columns mirror, channels keep their order; twice is the identity', () => {
  const size = { height: 2, width: 3, channels: 2 };
  const image = ramp(size);
  flipHorizontal(image, size);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) for (let k = 0; k < 2; k++) assert.equal(at(image, size, y, x, k), 100 * y + 10 * (2 - x) + k);
  flipHorizontal(image, size);
  assert.deepEqual(image, ramp(size));
});

test('shift h=5 w=4 c=2, dx and dy in -6..6: a crop of the image padded with its edge, channels kept together, also beyond the image', () => {
  const size = { height: 5, width: 4, channels: 2 };
  for (let dx = -6; dx <= 6; dx++) {
    for (let dy = -6; dy <= 6; dy++) {
      const image = ramp(size);
      shift(image, size, dx, dy);
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 4; x++) {
          for (let k = 0; k < 2; k++) assert.equal(at(image, size, y, x, k), 100 * clamp(y - dy, 5) + 10 * clamp(x - dx, 4) + k, `dx=${dx} dy=${dy} at (${y}, ${x}, ${k})`);
        }
      }
    }
  }
});

/** A batch of 8 ramps 6x6 with 1 channel, augmented at the given seed and step, in slices of the given sizes. */
function augmented(augment: Augment, seed: number, step: number, slices = [8]): Float32Array {
  const one = ramp({ channels: 1, height: 6, width: 6 });
  const images = new Float32Array(8 * one.length);
  for (let i = 0; i < 8; i++) images.set(one, i * one.length);
  const apply = makeAugment(spec(augment), [1, 6, 6], seed)!;
  let first = 0;
  for (const count of slices) {
    apply(images.subarray(first * one.length, (first + count) * one.length), first, count, step);
    first += count;
  }
  return images;
}

const every: Augment = { flip: 'horizontal', rotate: 10, shift: 2, noise: 0.1 };

test('makeAugment: the same seed and step give the same bits; another step (a batch, or an epoch, later) or seed other images', () => {
  const a = augmented(every, 1, 0);
  assert.deepEqual(augmented(every, 1, 0), a);
  assert.notDeepEqual(augmented(every, 1, 1), a);
  assert.notDeepEqual(augmented(every, 2, 0), a);
});

test('makeAugment: a batch augmented whole or in slices of 3 + 5 or 1 + 4 + 3 (as threads split it) gives the same bits', () => {
  const whole = augmented(every, 1, 7);
  assert.deepEqual(augmented(every, 1, 7, [3, 5]), whole);
  assert.deepEqual(augmented(every, 1, 7, [1, 4, 3]), whole);
});

test('makeAugment: each image of a batch draws its own flip, angle, shift and noise', () => {
  const images = augmented(every, 1, 0);
  const first = images.subarray(0, 36);
  for (let i = 1; i < 8; i++) assert.ok(images.subarray(i * 36, (i + 1) * 36).some((v, j) => v !== first[j]), `image ${i} is image 0`);
});

test('makeAugment: turning noise on leaves the flips, angles and shifts as they were', () => {
  const geometric = augmented({ flip: 'horizontal', rotate: 10, shift: 2 }, 1, 0);
  const noisy = augmented({ ...every, noise: 0.001 }, 1, 0);
  const d = noisy.reduce((m, v, i) => Math.max(m, Math.abs(v - geometric[i])), 0);
  assert.ok(d > 0 && d < 0.01, `largest difference ${d}`);
});

test('makeAugment: nothing on (the defaults) is no augmentation at all', () => {
  assert.equal(makeAugment(spec({}), [1, 6, 6], 1), undefined);
});

test('makeAugment: flip, rotate and shift need an image input; noise takes any', () => {
  assert.throws(() => makeAugment(spec({ shift: 2 }), [64], 1), { message: 'training -> augment: flip, rotate and shift need an image input [C, H, W] (model -> input is [64])' });
  const images = new Float32Array(2 * 64);
  makeAugment(spec({ noise: 0.1 }), [64], 1)!(images, 0, 2, 0);
  assert.ok(images.every((v) => v !== 0));
});
