/**
 * Augmentation of training batches (`training.augment`): flip, rotate, shift and noise, drawn anew at every
 * step. Each image draws from a generator of its own, seeded by the training seed, the step (its epoch and
 * batch) and the image's place in the batch, so an image gets the same draws whichever thread augments it in
 * whichever slice: the threads of a step each augment their own slice. It works on a copy of the slice in the
 * kernels' memory (NHWC), before the batch becomes a tensor.
 */
import seedrandom from 'seedrandom';
import type { Shape } from '../../graph';
import type { ResolvedTraining } from '../../pipeline-schema';
import { addNormal, imageArea, makeResample, Shr3, type ImageSize } from '../../kernels';

export type AugmentSpec = NonNullable<ResolvedTraining['augment']>;

/**
 * Augments images first .. first + count - 1 of step `step`'s batch, which `images` holds, in place (a copy of
 * the training split's rows, never the split itself).
 */
export type AugmentSlice = (images: Float32Array, first: number, count: number, step: number) => void;

/** The augmentation of a run, or undefined when it changes nothing. */
export function makeAugment(spec: AugmentSpec, input: Shape, seed: number): AugmentSlice | undefined {
  const flip = spec.flip === 'horizontal';
  const geometric = flip || spec.rotate > 0 || spec.shift > 0;
  if (!geometric && spec.noise === 0) return undefined;
  if (geometric && input.length !== 3) {
    throw new Error(`training -> augment: flip, rotate and shift need an image input [C, H, W] (model -> input is [${input.join(', ')}])`);
  }
  const [channels, height, width] = input;
  const size: ImageSize = { height, width, channels };
  const pixels = input.reduce((a, b) => a * b, 1);
  // Only an angle needs resampling; whole-pixel moves work in place.
  const resample = spec.rotate > 0 ? makeResample(size) : undefined;
  const span = 2 * spec.shift + 1;
  return (images, first, count, step) => {
    // One seed per image, drawn in batch order: the images before `first` are another thread's.
    const seeds = seedrandom.alea(`augment:${seed}:${step}`);
    for (let i = 0; i < first; i++) seeds.int32();
    // The slice as it comes, and after it the slice as it leaves.
    const area = imageArea(2 * count * pixels);
    const input = area.subarray(0, count * pixels);
    const output = area.subarray(count * pixels);
    input.set(images.subarray(0, count * pixels));
    const generators: Shr3[] = [];
    for (let i = 0; i < count; i++) {
      const g = new Shr3(seeds.int32());
      generators.push(g);
      // Every image draws all four, whichever are on: turning one on leaves the others' draws as they were.
      const mirror = g.uniform() < 0.5;
      const degrees = (2 * g.uniform() - 1) * spec.rotate;
      const dx = Math.floor(g.uniform() * span) - spec.shift;
      const dy = Math.floor(g.uniform() * span) - spec.shift;
      const image = output.subarray(i * pixels, (i + 1) * pixels);
      // With an angle, flip, rotate and shift are one resampling pass; without, whole pixels move.
      if (resample && degrees !== 0) {
        resample(input.subarray(i * pixels, (i + 1) * pixels), image, { mirror: flip && mirror, degrees, dx, dy });
      } else {
        image.set(input.subarray(i * pixels, (i + 1) * pixels));
        if (flip && mirror) flipHorizontal(image, size);
        shift(image, size, dx, dy);
      }
    }
    // Then the noise of every image, each from its generator as its placement left it.
    if (spec.noise > 0) addNormal(output, spec.noise, generators);
    images.set(output);
  };
}

/** Mirrors an image left to right, in place. */
export function flipHorizontal(image: Float32Array, { height, width, channels }: ImageSize): void {
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let x = 0; x < width >> 1; x++) {
      const a = row + x * channels;
      const b = row + (width - 1 - x) * channels;
      for (let k = 0; k < channels; k++) {
        const t = image[a + k];
        image[a + k] = image[b + k];
        image[b + k] = t;
      }
    }
  }
}

/**
 * Moves an image right by dx and down by dy, in place; uncovered pixels repeat the nearest edge pixel, as a
 * crop of the image padded with its edge. Row by row, in the order that reads each source row before it is
 * overwritten: bottom up when moving down, and within a row right to left when moving right.
 */
export function shift(image: Float32Array, { height, width, channels }: ImageSize, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  const row = width * channels;
  const move = dx * channels;
  // The values that come from the source row (the rest repeat its first or last pixel): [lo, hi) of a row.
  const lo = Math.min(row, Math.max(0, move));
  const hi = Math.max(0, Math.min(row, row + move));
  for (let i = 0; i < height; i++) {
    const y = dy > 0 ? height - 1 - i : i;
    const sy = y - dy < 0 ? 0 : y - dy >= height ? height - 1 : y - dy;
    const to = y * row;
    const from = sy * row;
    if (move > 0) {
      for (let v = row - 1; v >= lo; v--) image[to + v] = image[from + v - move];
      for (let v = lo - 1; v >= 0; v--) image[to + v] = image[from + (v % channels)];
    } else {
      for (let v = 0; v < hi; v++) image[to + v] = image[from + v - move];
      for (let v = hi; v < row; v++) image[to + v] = image[from + row - channels + (v % channels)];
    }
  }
}
