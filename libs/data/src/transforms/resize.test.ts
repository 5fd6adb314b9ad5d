import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ResizeTransform } from '../../../pipeline-schema';
import { defaultedTransforms } from '../fixture';
import { resize } from './resize';
import type { ImageBatch, ImageShape } from './types';

function batch(values: number[], count: number, shape: ImageShape): ImageBatch {
  return { data: Float32Array.from(values), count, shape };
}

const defaulted = (t: ResizeTransform) => defaultedTransforms([t])[0] as Required<ResizeTransform>;

test('resize [1,1,2] to [1,4]: half-pixel centres, clamped edges (OpenCV INTER_LINEAR: 0, 0.25, 0.75, 1)', () => {
  const out = resize.apply(batch([0, 1], 1, [1, 1, 2]), defaulted({ type: 'resize', to: [1, 4] }), 'train');
  assert.deepEqual(out.shape, [1, 1, 4]);
  assert.deepEqual(Array.from(out.data), [0, 0.25, 0.75, 1]);
});

test('resize [1,2,2] to 3 (stretch): the centre pixel is the mean of all four, the corners are kept', () => {
  const out = resize.apply(batch([0, 1, 2, 3], 1, [1, 2, 2]), defaulted({ type: 'resize', to: 3 }), 'train');
  // src coordinate of output d: (d + 0.5) * 2/3 - 0.5 = -1/6, 1/2, 7/6 -> clamped 0, 0.5 between 0 and 1, clamped 1
  assert.deepEqual(Array.from(out.data), [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]);
});

test('resize [1,4,4] to 2 (downscale, no antialiasing): each output pixel is the mean of a 2x2 block', () => {
  const values = Array.from({ length: 16 }, (_, i) => i);
  const out = resize.apply(batch(values, 1, [1, 4, 4]), defaulted({ type: 'resize', to: 2 }), 'train');
  assert.deepEqual(Array.from(out.data), [2.5, 4.5, 10.5, 12.5]);
});

test('resize to the same size is the identity; channels (NHWC) and images stay apart', () => {
  const same = batch([1, 2, 3, 4], 1, [1, 2, 2]);
  assert.equal(resize.apply(same, defaulted({ type: 'resize', to: 2 }), 'train'), same);
  const rgb = resize.apply(batch([0, 10, 20, 1, 11, 21, 5, 5, 5, 7, 7, 7], 2, [3, 1, 2]), defaulted({ type: 'resize', to: [1, 4] }), 'train');
  assert.deepEqual(Array.from(rgb.data), [0, 10, 20, 0.25, 10.25, 20.25, 0.75, 10.75, 20.75, 1, 11, 21, 5, 5, 5, 5.5, 5.5, 5.5, 6.5, 6.5, 6.5, 7, 7, 7]);
});

test('resize [1,2,4] to 4 contain value=-1: scaled by 1 to 2x4... by min(4/2, 4/4) = 1, centred on rows 1-2', () => {
  const out = resize.apply(batch([1, 2, 3, 4, 5, 6, 7, 8], 1, [1, 2, 4]), defaulted({ type: 'resize', to: 4, fit: 'contain', value: -1 }), 'train');
  assert.deepEqual(out.shape, [1, 4, 4]);
  assert.deepEqual(Array.from(out.data), [-1, -1, -1, -1, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1]);
});

test('resize [1,2,4] to 2 cover: scaled by max(2/2, 2/4) = 1, the middle two columns kept', () => {
  const out = resize.apply(batch([1, 2, 3, 4, 5, 6, 7, 8], 1, [1, 2, 4]), defaulted({ type: 'resize', to: 2, fit: 'cover' }), 'train');
  assert.deepEqual(Array.from(out.data), [2, 3, 6, 7]);
});

test('contain and cover round each scaled side: 3x5 to 4 contain is 2x4 (2.4 -> 2), cover is 4x7 (6.67 -> 7) then cropped', () => {
  const contain = resize.apply(batch(new Array(15).fill(1), 1, [1, 3, 5]), defaulted({ type: 'resize', to: 4, fit: 'contain' }), 'train');
  // rows 0 and 3 are the canvas, rows 1-2 the image
  assert.deepEqual(Array.from(contain.data), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  const cover = resize.apply(batch(new Array(15).fill(1), 1, [1, 3, 5]), defaulted({ type: 'resize', to: 4, fit: 'cover' }), 'train');
  assert.deepEqual(cover.shape, [1, 4, 4]);
  assert.deepEqual(Array.from(cover.data), new Array(16).fill(1));
});

test("resize's step: height, width, fit and value as the model card holds them", () => {
  assert.deepEqual(resize.step(defaulted({ type: 'resize', to: [24, 32] }), [3, 100, 80]), { type: 'resize', height: 24, width: 32, fit: 'stretch', value: 0 });
  assert.deepEqual(resize.step(defaulted({ type: 'resize', to: 32, fit: 'contain', value: 0.5 }), [1, 28, 28]), { type: 'resize', height: 32, width: 32, fit: 'contain', value: 0.5 });
  assert.throws(() => resize.outputShape({ type: 'resize', to: [0, 3], fit: 'stretch', value: 0 }, [1, 2, 2]), { message: 'to must be a positive integer or [height, width] of two (got [0,3])' });
});

test('contain rounds exactly: 27x6 to [64, 13] is 59x13 (27 * 13 / 6 = 58.5, which floats compute as 58.4999...)', () => {
  const out = resize.apply(batch(new Array(27 * 6).fill(1), 1, [1, 27, 6]), defaulted({ type: 'resize', to: [64, 13], fit: 'contain', value: -1 }), 'train');
  assert.deepEqual(out.shape, [1, 64, 13]);
  const rows = Array.from({ length: 64 }, (_, r) => out.data[r * 13] !== -1).filter(Boolean).length;
  assert.equal(rows, 59);
});
