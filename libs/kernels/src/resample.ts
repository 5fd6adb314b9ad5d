import { imageBuffer, imageKernels, MAX_COLUMNS, pointer, TABLES } from './image-memory';

/** Height, width and channels of an image, stored HWC. */
export interface ImageSize {
  height: number;
  width: number;
  channels: number;
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
 * Flip, rotate and shift as one bilinear resampling pass, for images of `size`: each pixel (x, y) of `to` takes
 * the source in `from` where the three, undone in reverse order, lead. Undoing the shift gives (clamp(x - dx),
 * clamp(y - dy)): the shift's edge fill. Undoing the rotation turns that back by the angle about the centre,
 * and undoing the flip mirrors it; a source point outside the image takes the nearest edge's value (the
 * rotation's edge fill). The same, up to float rounding, as a flip, a rotation and a shift one after the other,
 * at the cost of the rotation alone. Both images are views of imageArea().
 *
 * The source point is a column's part plus a row's, ux = A[x] + B[y] and uy = C[x] + D[y], each split into
 * whole and fraction once per image (the columns' here, the rows' in simd.wat's resample), so that a pixel
 * costs two additions and carries instead of two floors. The fractions are f32, as is the blending: simd.wat
 * takes four columns at a time, in 0.27 ms for 64 images of 32x32 where the scalar f64 pass took 0.44.
 */
export function makeResample({ height, width, channels }: ImageSize): (from: Float32Array, to: Float32Array, placement: Placement) => void {
  if (width > MAX_COLUMNS) throw new Error(`resample: images at most ${MAX_COLUMNS} pixels wide (these are ${width})`);
  const cx = (width - 1) / 2;
  const xMax = width - 1;
  let buffer: ArrayBuffer | undefined;
  let xWhole: Int32Array, yWhole: Int32Array, xPart: Float32Array, yPart: Float32Array;
  return (from, to, { mirror, degrees, dx, dy }) => {
    const kernels = imageKernels();
    const source = pointer(from);
    const target = pointer(to);
    if (buffer !== imageBuffer()) {
      // Column x's parts A[x] (of ux) and C[x] (of uy), whole and fraction, in the layout resample reads.
      buffer = imageBuffer();
      xWhole = new Int32Array(buffer, TABLES, width);
      yWhole = new Int32Array(buffer, TABLES + 4 * width, width);
      xPart = new Float32Array(buffer, TABLES + 8 * width, width);
      yPart = new Float32Array(buffer, TABLES + 12 * width, width);
    }
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
    kernels.resample(source, target, height, width, channels, TABLES, -m * sin, cos, dy);
  };
}
