/**
 * Augmentation of training batches (`training.augment`): flip, rotate, shift and noise, drawn anew at every
 * step. Each image draws from a generator of its own, seeded by the training seed, the step (its epoch and
 * batch) and the image's place in the batch, so an image gets the same draws whichever thread augments it in
 * whichever slice: the threads of a step each augment their own slice. It works on the batch's Float32Array
 * (NHWC) before it becomes a tensor.
 */
import seedrandom from 'seedrandom';
import type { Shape } from '../../graph';
import type { ResolvedTraining } from '../../pipeline-schema';
import { addNormal, Shr3 } from './normal';

export type AugmentSpec = NonNullable<ResolvedTraining['augment']>;

/** Height, width and channels of the images: the model's input [C, H, W], stored NHWC. */
export interface ImageSize {
  height: number;
  width: number;
  channels: number;
}

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
  const scratch = new Float32Array(pixels);
  const span = 2 * spec.shift + 1;
  return (images, first, count, step) => {
    // One seed per image, drawn in batch order: the images before `first` are another thread's.
    const seeds = seedrandom.alea(`augment:${seed}:${step}`);
    for (let i = 0; i < first; i++) seeds.int32();
    for (let i = 0; i < count; i++) {
      const g = new Shr3(seeds.int32());
      // Every image draws all four, whichever are on: turning one on leaves the others' draws as they were.
      const mirror = g.uniform() < 0.5;
      const degrees = (2 * g.uniform() - 1) * spec.rotate;
      const dx = Math.floor(g.uniform() * span) - spec.shift;
      const dy = Math.floor(g.uniform() * span) - spec.shift;
      const image = images.subarray(i * pixels, (i + 1) * pixels);
      if (flip && mirror) flipHorizontal(image, size);
      rotate(image, size, degrees, scratch);
      shift(image, size, dx, dy, scratch);
      if (spec.noise > 0) addNoise(image, spec.noise, g);
    }
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
 * crop of the image padded with its edge. `scratch` holds one image.
 */
export function shift(image: Float32Array, { height, width, channels }: ImageSize, dx: number, dy: number, scratch: Float32Array): void {
  if (dx === 0 && dy === 0) return;
  const row = width * channels;
  let to = 0;
  for (let y = 0; y < height; y++) {
    const sy = y - dy < 0 ? 0 : y - dy >= height ? height - 1 : y - dy;
    for (let x = 0; x < width; x++) {
      const sx = x - dx < 0 ? 0 : x - dx >= width ? width - 1 : x - dx;
      let from = sy * row + sx * channels;
      for (const end = to + channels; to < end; ) scratch[to++] = image[from++];
    }
  }
  image.set(scratch.subarray(0, image.length));
}

/**
 * Rotates an image by `degrees` about its centre (counter-clockwise as displayed, rows running down), in place:
 * each pixel samples the source bilinearly where it comes from, (x, y) turned back by the angle, clamped to the
 * image (edge fill).
 */
export function rotate(image: Float32Array, { height, width, channels }: ImageSize, degrees: number, scratch: Float32Array): void {
  if (degrees === 0) return;
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const xMax = width - 1;
  const yMax = height - 1;
  const row = width * channels;
  let to = 0;
  for (let y = 0; y < height; y++) {
    // The source of (0, y); each step right moves it by (cos, sin).
    let ux = cx - cos * cx - sin * (y - cy);
    let uy = cy - sin * cx + cos * (y - cy);
    for (let x = 0; x < width; x++, ux += cos, uy += sin) {
      const sx = ux < 0 ? 0 : ux > xMax ? xMax : ux;
      const sy = uy < 0 ? 0 : uy > yMax ? yMax : uy;
      const x0 = sx | 0; // sx >= 0: truncation is floor
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const right = x0 < xMax ? channels : 0;
      const down = y0 < yMax ? row : 0;
      let p = y0 * row + x0 * channels;
      for (const end = to + channels; to < end; p++) {
        const top = image[p] + fx * (image[p + right] - image[p]);
        const bottom = image[p + down] + fx * (image[p + down + right] - image[p + down]);
        scratch[to++] = top + fy * (bottom - top);
      }
    }
  }
  image.set(scratch.subarray(0, image.length));
}

/** Adds N(0, std^2) to every value, in place. */
export function addNoise(values: Float32Array, std: number, g: Shr3): void {
  addNormal(values, std, g);
}
