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
  // Only an angle needs resampling; whole-pixel moves work in place.
  const resample = spec.rotate > 0 ? makeResample(size) : undefined;
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
      // With an angle, flip, rotate and shift are one resampling pass; without, whole pixels move.
      if (resample && degrees !== 0) {
        resample(image, { mirror: flip && mirror, degrees, dx, dy });
      } else {
        if (flip && mirror) flipHorizontal(image, size);
        shift(image, size, dx, dy);
      }
      if (spec.noise > 0) addNormal(image, spec.noise, g);
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

/** What happens to one image, in this order: mirrored left to right or not, turned, moved by whole pixels. */
export interface Placement {
  mirror: boolean;
  /** Counter-clockwise as displayed (rows running down), about the image's centre. */
  degrees: number;
  /** Right and down. */
  dx: number;
  dy: number;
}

/**
 * Flip, rotate and shift as one bilinear resampling pass, for images of `size`, in place: each pixel (x, y)
 * takes the source where the three, undone in reverse order, lead. Undoing the shift gives (clamp(x - dx),
 * clamp(y - dy)): the shift's edge fill. Undoing the rotation turns that back by the angle about the centre,
 * and undoing the flip mirrors it; a source point outside the image takes the nearest edge's value (the
 * rotation's edge fill). The same, up to float rounding, as flipHorizontal, a rotation and shift one after the
 * other, at the cost of the rotation alone.
 *
 * The source point is a column's part plus a row's, ux = A[x] + B[y] and uy = C[x] + D[y], each split into
 * whole and fraction once per image, so that a pixel costs two additions and carries instead of two floors.
 * The tables and the scratch image belong to the returned function: as constants of its closure they cost
 * less to reach in the inner loop than arrays passed in or held in an object (V8; measured side by side).
 */
export function makeResample({ height, width, channels }: ImageSize): (image: Float32Array, placement: Placement) => void {
  // Column x's parts A[x] (of ux) and C[x] (of uy), whole and fraction.
  const xWhole = new Int32Array(width);
  const xPart = new Float64Array(width);
  const yWhole = new Int32Array(width);
  const yPart = new Float64Array(width);
  const scratch = new Float32Array(height * width * channels);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const xMax = width - 1;
  const yMax = height - 1;
  const row = width * channels;
  return (image, { mirror, degrees, dx, dy }) => {
    const theta = (degrees * Math.PI) / 180;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // Mirroring the source turns ux into xMax - ux = cx - (ux - cx): ux's offsets from the centre change sign.
    const m = mirror ? -1 : 1;
    for (let x = 0; x < width; x++) {
      const u = (x - dx < 0 ? 0 : x - dx > xMax ? xMax : x - dx) - cx;
      const a = cx + m * cos * u;
      const c = sin * u;
      xWhole[x] = Math.floor(a);
      xPart[x] = a - xWhole[x];
      yWhole[x] = Math.floor(c);
      yPart[x] = c - yWhole[x];
    }
    // A channel at a time: an inner loop over the channels took half as long again for one channel.
    for (let k = 0; k < channels; k++) {
      for (let y = 0, to = k; y < height; y++) {
        const v = (y - dy < 0 ? 0 : y - dy > yMax ? yMax : y - dy) - cy;
        const b = -m * sin * v;
        const d = cy + cos * v;
        const bWhole = Math.floor(b);
        const bPart = b - bWhole;
        const dWhole = Math.floor(d);
        const dPart = d - dWhole;
        for (let x = 0; x < width; x++, to += channels) {
          let x0 = xWhole[x] + bWhole;
          let fx = xPart[x] + bPart;
          if (fx >= 1) {
            x0++;
            fx -= 1;
          }
          let y0 = yWhole[x] + dWhole;
          let fy = yPart[x] + dPart;
          if (fy >= 1) {
            y0++;
            fy -= 1;
          }
          // Outside the image, or on its last column or row: the edge, with no neighbour to blend in.
          let right = channels;
          if (x0 < 0 || x0 >= xMax) {
            x0 = x0 < 0 ? 0 : xMax;
            fx = 0;
            right = 0;
          }
          let down = row;
          if (y0 < 0 || y0 >= yMax) {
            y0 = y0 < 0 ? 0 : yMax;
            fy = 0;
            down = 0;
          }
          const q = y0 * row + x0 * channels + k;
          const top = image[q] + fx * (image[q + right] - image[q]);
          const bottom = image[q + down] + fx * (image[q + down + right] - image[q + down]);
          scratch[to] = top + fy * (bottom - top);
        }
      }
    }
    image.set(scratch);
  };
}
