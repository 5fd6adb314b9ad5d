import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import seedrandom from 'seedrandom';
import { imageArea } from './image-memory';
import { makeResample, type ImageSize, type Placement } from './resample';
import { clampIndex as clamp, pixelAt as at, ramp } from '../testing';

/** `image` placed by the kernel: copied into the kernels' memory and the result copied out. */
function resampled(image: Float32Array, size: ImageSize, placement: Placement): Float32Array {
  const area = imageArea(2 * image.length);
  area.set(image);
  makeResample(size)(area.subarray(0, image.length), area.subarray(image.length), placement);
  return Float32Array.from(area.subarray(image.length));
}

const rotated = (image: Float32Array, size: ImageSize, degrees: number) => resampled(image, size, { mirror: false, degrees, dx: 0, dy: 0 });

/** Each pixel (y, x) takes the pixel at `source(y, x)`, all channels. */
function moved(image: Float32Array, size: ImageSize, source: (y: number, x: number) => [number, number]): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const [sy, sx] = source(y, x);
      for (let k = 0; k < size.channels; k++) out[(y * size.width + x) * size.channels + k] = at(image, size, sy, sx, k);
    }
  }
  return out;
}

test('resample h=w=5 c=3: 0 degrees changes nothing; 90 turns counter-clockwise, 180 is both flips, within float rounding', () => {
  const size = { height: 5, width: 5, channels: 3 };
  assert.deepEqual(rotated(ramp(size), size, 0), ramp(size));
  const quarter = rotated(ramp(size), size, 90);
  // Counter-clockwise as displayed: the right column becomes the top row.
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(at(quarter, size, y, x, k) - (100 * x + 10 * (4 - y) + k)) < 1e-3, `(${y}, ${x}, ${k}): ${at(quarter, size, y, x, k)}`);
  const half = rotated(ramp(size), size, 180);
  for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) assert.ok(Math.abs(at(half, size, y, x) - (100 * (4 - y) + 10 * (4 - x))) < 1e-3);
});

test('resample 45 degrees h=w=4: bilinear between the four neighbours, corners filled from the nearest edge', () => {
  const size = { height: 4, width: 4, channels: 1 };
  const image = rotated(ramp(size), size, 45);
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

test('resample h=7 w=9 c=2, 1x5 and 5x1: mirror, angle and shift in one pass are a flip, then the rotation, then the shift with edge fill', () => {
  const rng = seedrandom('resample');
  for (const size of [{ height: 7, width: 9, channels: 2 }, { height: 1, width: 5, channels: 1 }, { height: 5, width: 1, channels: 1 }]) {
    const { height, width } = size;
    for (let t = 0; t < 50; t++) {
      const image = Float32Array.from({ length: height * width * size.channels }, () => rng() * 2 - 1);
      const placement = { mirror: rng() < 0.5, degrees: (rng() * 2 - 1) * (t < 25 ? 15 : 180), dx: Math.floor(rng() * 7) - 3, dy: Math.floor(rng() * 7) - 3 };
      let oneByOne = placement.mirror ? moved(image, size, (y, x) => [y, width - 1 - x]) : image;
      oneByOne = rotated(oneByOne, size, placement.degrees);
      oneByOne = moved(oneByOne, size, (y, x) => [clamp(y - placement.dy, height), clamp(x - placement.dx, width)]);
      const once = resampled(image, size, placement);
      const d = once.reduce((m, v, i) => Math.max(m, Math.abs(v - oneByOne[i])), 0);
      assert.ok(d < 1e-5, `${JSON.stringify(size)} ${JSON.stringify(placement)}: largest difference ${d}`);
    }
  }
});

/**
 * The reference: the same pass in JavaScript, written straight from the geometry (a floor per source
 * coordinate), in the kernel's order: the coordinates' parts in f64, their fractions and everything after in f32.
 */
function reference(image: Float32Array, { height, width, channels }: ImageSize, { mirror, degrees, dx, dy }: Placement): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(image.length);
  const [cx, cy, xMax, yMax, row] = [(width - 1) / 2, (height - 1) / 2, width - 1, height - 1, width * channels];
  const theta = (degrees * Math.PI) / 180;
  const [cos, sin, m] = [Math.cos(theta), Math.sin(theta), mirror ? -1 : 1];
  for (let k = 0; k < channels; k++) {
    for (let y = 0; y < height; y++) {
      const v = clamp(y - dy, height) - cy;
      const [b, d] = [-m * sin * v, cy + cos * v];
      for (let x = 0; x < width; x++) {
        const u = clamp(x - dx, width) - cx;
        const [a, c] = [cx + m * cos * u, sin * u];
        // Whole and fraction of A[x] + B[y] and C[x] + D[y], each part split first, as the kernel's tables do.
        let [x0, fx] = [Math.floor(a) + Math.floor(b), f(f(a - Math.floor(a)) + f(b - Math.floor(b)))];
        if (fx >= 1) [x0, fx] = [x0 + 1, f(fx - 1)];
        let [y0, fy] = [Math.floor(c) + Math.floor(d), f(f(c - Math.floor(c)) + f(d - Math.floor(d)))];
        if (fy >= 1) [y0, fy] = [y0 + 1, f(fy - 1)];
        let [right, down] = [channels, row];
        if (x0 < 0 || x0 >= xMax) [x0, fx, right] = [x0 < 0 ? 0 : xMax, 0, 0];
        if (y0 < 0 || y0 >= yMax) [y0, fy, down] = [y0 < 0 ? 0 : yMax, 0, 0];
        const q = y0 * row + x0 * channels + k;
        const top = f(image[q] + f(fx * f(image[q + right] - image[q])));
        const bottom = f(image[q + down] + f(fx * f(image[q + down + right] - image[q + down])));
        out[(y * width + x) * channels + k] = f(top + f(fy * f(bottom - top)));
      }
    }
  }
  return out;
}

test('resample, 400 placements of 32x32x1, 20x17x3, 6x5x2 and 1x1 images: the bits of the reference in JavaScript', () => {
  const rng = seedrandom('resample bits');
  for (const size of [{ height: 32, width: 32, channels: 1 }, { height: 20, width: 17, channels: 3 }, { height: 6, width: 5, channels: 2 }, { height: 1, width: 1, channels: 1 }]) {
    for (let t = 0; t < 100; t++) {
      const image = Float32Array.from({ length: size.height * size.width * size.channels }, () => rng() * 2 - 1);
      const placement = { mirror: rng() < 0.5, degrees: (rng() * 2 - 1) * (t < 50 ? 10 : 180), dx: Math.floor(rng() * 5) - 2, dy: Math.floor(rng() * 5) - 2 };
      assert.deepEqual(resampled(image, size, placement), reference(image, size, placement), `${JSON.stringify(size)} ${JSON.stringify(placement)}`);
    }
  }
});

test('resample: an array outside the kernels\' memory, or images wider than the tables hold, are refused', () => {
  const size = { height: 2, width: 2, channels: 1 };
  assert.throws(() => makeResample(size)(new Float32Array(4), imageArea(4), { mirror: false, degrees: 5, dx: 0, dy: 0 }), /must be a view of imageArea/);
  assert.throws(() => makeResample({ height: 1, width: 5000, channels: 1 }), /at most 3584 pixels wide \(these are 5000\)/);
});
