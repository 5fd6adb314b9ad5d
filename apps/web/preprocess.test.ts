/**
 * The page's preprocessing (preprocess.js) against the reference (OpenCV's calls, run by Debian's Python):
 * every step and fit on small images of known values, and the conversion of other channel counts.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelCard, PreprocessingStep } from '../../libs/artifacts';
import { maxDifference, reference, SMALL, STEP_CASES, STEP_TOLERANCE, skipWithoutReference as skip, type Picture } from '../python/testing';
import { preprocess, toChannels } from './preprocess.js';

const card = (channels: number, steps: PreprocessingStep[], shape: number[]) =>
  ({ input: { shape: ['batch', ...shape] }, preprocessing: { source: { shape: [channels, null, null] }, steps } }) as unknown as ModelCard;

test('every step and fit gives the reference values within 1e-5', { skip }, () => {
  const wanted = reference(STEP_CASES.map((c) => ({ image: c.image, channels: 3, steps: c.steps })));
  STEP_CASES.forEach((c, i) => {
    const got = preprocess(c.image.pixels, card(3, c.steps, wanted[i].shape), [c.image.rows, c.image.columns]);
    const diff = maxDifference(got, wanted[i].values);
    assert.ok(diff <= STEP_TOLERANCE, `${c.name}: ${diff} from the reference`);
  });
  // The cases pin down what differs between ways of resizing: the sizes contain and cover give, and a half rounded up.
  assert.deepEqual(wanted.map((w) => w.shape.join('x')), ['1x3x3', '1x3x3', '1x3x3', '3x9x12', '3x14x9', '1x2x8', '3x5x5']);
  assert.deepEqual(Array.from(wanted[6].values.subarray(0, 5)), Array(5).fill(0.75), 'contain puts 2.5 rows as 3, from row 1');
  assert.notEqual(wanted[6].values[5], 0.75);
});

test("an image of 1, 2, 3 or 4 channels becomes the source's 1 or 3 as the reference converts it", { skip }, () => {
  const images: Picture[] = [1, 2, 3, 4].map((channels) => ({ rows: 5, columns: 7, channels, pixels: Uint8Array.from({ length: 5 * 7 * channels }, (_, i) => (i * 97 + channels * 41) & 255) }));
  const jobs = images.flatMap((image) => [1, 3].map((channels) => ({ image, channels, steps: [] })));
  const wanted = reference(jobs);
  jobs.forEach(({ image, channels }, i) => {
    const converted = toChannels(image.pixels, image.channels, channels);
    const got = preprocess(converted, card(channels, [], [channels, image.rows, image.columns]), [image.rows, image.columns]);
    assert.deepEqual(Array.from(got), Array.from(wanted[i].values), `${image.channels} channel(s) to ${channels}`);
  });
});

test('a size where the source has none, a grayscale of one channel and a crop larger than the image are refused', () => {
  const steps: PreprocessingStep[] = [{ type: 'center-crop', height: 6, width: 6 }];
  assert.throws(() => preprocess(SMALL.pixels, card(3, steps, [3, 6, 6])), /model\.json's source images vary in size: give this image's rows and columns/);
  assert.throws(() => preprocess(SMALL.pixels, card(3, steps, [3, 6, 6]), [5, 7]), /center-crop to 6x6 of an image of 5x7/);
  assert.throws(() => preprocess(new Uint8Array(35), card(1, [{ type: 'grayscale' }], [1, 5, 7]), [5, 7]), /grayscale of an image of 1 channel\(s\), not 3/);
  assert.throws(() => preprocess(SMALL.pixels, card(3, [], [3, 5, 5]), [5, 7]), /the steps give 3x5x7 per image; the model reads \[batch, 3, 5, 5\]/);
});
