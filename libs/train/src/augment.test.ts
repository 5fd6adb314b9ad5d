import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import seedrandom from 'seedrandom';
import { withDefaults, type Augment, type ResolvedTraining } from '../../pipeline-schema';
import { flipHorizontal, makeAugment, makeResample, shift, type AugmentSpec, type ImageSize } from './augment';
import { addNormal, Shr3 } from './normal';

/** The schema's defaults under the given settings, as a loaded pipeline has them. */
const spec = (augment: Augment): AugmentSpec => (withDefaults('Training', { augment }) as ResolvedTraining).augment!;

/** Pixel (y, x, k) holds 100y + 10x + k: every pixel and channel tells where it came from. */
function ramp({ height, width, channels }: ImageSize): Float32Array {
  const image = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let k = 0; k < channels; k++) image[(y * width + x) * channels + k] = 100 * y + 10 * x + k;
  return image;
}

const at = (image: Float32Array, { width, channels }: ImageSize, y: number, x: number, k = 0) => image[(y * width + x) * channels + k];
const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));

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

/** Rotates by `degrees` alone: the resampling pass without flip or shift. */
const rotate = (image: Float32Array, size: ImageSize, degrees: number) => makeResample(size)(image, { mirror: false, degrees, dx: 0, dy: 0 });

test('rotate h=w=5 c=3: 0 degrees changes nothing; 90 turns counter-clockwise, 180 is both flips, within float rounding', () => {
  const size = { height: 5, width: 5, channels: 3 };
  const still = ramp(size);
  rotate(still, size, 0);
  assert.deepEqual(still, ramp(size));
  const quarter = ramp(size);
  rotate(quarter, size, 90);
  // Counter-clockwise as displayed: the right column becomes the top row.
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(at(quarter, size, y, x, k) - (100 * x + 10 * (4 - y) + k)) < 1e-3, `(${y}, ${x}, ${k}): ${at(quarter, size, y, x, k)}`);
  const half = ramp(size);
  rotate(half, size, 180);
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) assert.ok(Math.abs(at(half, size, y, x) - (100 * (4 - y) + 10 * (4 - x))) < 1e-3);
});

test('rotate 45 degrees h=w=4: bilinear between the four neighbours, corners filled from the nearest edge', () => {
  const size = { height: 4, width: 4, channels: 1 };
  const image = ramp(size);
  rotate(image, size, 45);
  // The ramp is linear, so bilinear sampling inside the image gives 100 sy + 10 sx exactly.
  const c = 1.5;
  const s = Math.SQRT1_2;
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const sx = clamp(c + s * (x - c) - s * (y - c), 4);
      const sy = clamp(c + s * (x - c) + s * (y - c), 4);
      const expected = 100 * sy + 10 * sx;
      assert.ok(Math.abs(at(image, size, y, x) - expected) < 1e-3, `(${y}, ${x}): ${at(image, size, y, x)} vs ${expected}`);
    }
  }
  // The top-left corner samples outside the image: the nearest edge pixel's value, not zero.
  assert.ok(at(image, size, 0, 0) > 0);
});

test('makeResample h=7 w=9 c=2, 1x5 and 5x1: mirror, angle and shift in one pass are flip, then rotate, then shift', () => {
  const rng = seedrandom('resample');
  for (const size of [{ height: 7, width: 9, channels: 2 }, { height: 1, width: 5, channels: 1 }, { height: 5, width: 1, channels: 1 }]) {
    const resample = makeResample(size);
    for (let t = 0; t < 50; t++) {
      const image = Float32Array.from({ length: size.height * size.width * size.channels }, () => rng() * 2 - 1);
      const placement = { mirror: rng() < 0.5, degrees: (rng() * 2 - 1) * (t < 25 ? 15 : 180), dx: Math.floor(rng() * 7) - 3, dy: Math.floor(rng() * 7) - 3 };
      const oneByOne = Float32Array.from(image);
      if (placement.mirror) flipHorizontal(oneByOne, size);
      resample(oneByOne, { mirror: false, degrees: placement.degrees, dx: 0, dy: 0 });
      shift(oneByOne, size, placement.dx, placement.dy);
      resample(image, placement);
      const d = image.reduce((m, v, i) => Math.max(m, Math.abs(v - oneByOne[i])), 0);
      assert.ok(d < 1e-5, `${JSON.stringify(size)} ${JSON.stringify(placement)}: largest difference ${d}`);
    }
  }
});

test('addNormal std=0.5 over 100,001 values: mean ~0, std ~0.5, the same seed gives the same bits, another seed others', () => {
  const values = new Float32Array(100_001);
  addNormal(values, 0.5, new Shr3(1));
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.5) < 0.01, `std ${std}`);
  const again = new Float32Array(100_001);
  addNormal(again, 0.5, new Shr3(1));
  assert.deepEqual(again, values);
  const other = new Float32Array(100_001);
  addNormal(other, 0.5, new Shr3(2));
  assert.notDeepEqual(other, values);
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
