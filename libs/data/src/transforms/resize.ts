import type { ResizeTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import { cropBatch } from './center-crop';
import { pad } from './pad';
import { heightWidth } from './size';
import type { ImageBatch, ImageShape, TransformOp } from './types';

const FITS = ['stretch', 'contain', 'cover'];

/**
 * Bilinear resampling as OpenCV's INTER_LINEAR does it: output pixel d samples the input at
 * (d + 0.5) * in / out - 0.5, its two neighbours clamped to the image, no antialiasing.
 */
export const resize: TransformOp<Required<ResizeTransform>> = {
  outputShape(t, [c]): ImageShape {
    const [h, w] = heightWidth(t.to);
    if (!FITS.includes(t.fit)) throw new DataError(`fit must be one of ${FITS.join(', ')} (got ${String(t.fit)})`);
    if (!Number.isFinite(t.value)) throw new DataError(`value must be a finite number (got ${t.value})`);
    return [c, h, w];
  },

  apply(batch: ImageBatch, t: Required<ResizeTransform>): ImageBatch {
    const out = resize.outputShape(t, batch.shape);
    const [, toH, toW] = out;
    if (t.fit === 'stretch') return bilinear(batch, toH, toW);
    const [h, w] = fittedSize(batch.shape, toH, toW, t.fit);
    const scaled = bilinear(batch, h, w);
    return t.fit === 'contain' ? pad.apply(scaled, { type: 'pad', to: [toH, toW], value: t.value }, 'train') : cropBatch(scaled, out);
  },

  step(t, shape) {
    const [, height, width] = resize.outputShape(t, shape);
    return { type: 'resize', height, width, fit: t.fit, value: t.value };
  },
};

/**
 * contain: scaled by the smaller ratio to fit inside; cover: by the larger, to cover. The side whose ratio it is
 * becomes its target exactly, the other round(side * target / that side), half up in integers (a product of
 * floats can land just below a half: 2.5 as 2.4999...), at least 1, as the model card says.
 */
export function fittedSize([, h, w]: ImageShape, toH: number, toW: number, fit: 'contain' | 'cover'): [number, number] {
  const byHeight = fit === 'contain' ? toH * w <= toW * h : toH * w >= toW * h;
  const round = (side: number, target: number, other: number) => Math.max(1, Math.floor((2 * side * target + other) / (2 * other)));
  return byHeight ? [toH, round(w, toH, h)] : [round(h, toW, w), toW];
}

/** Per output index: the two input indices (clamped) and the weight of the second. */
function taps(size: number, out: number): { i0: Int32Array; i1: Int32Array; a: Float64Array } {
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const a = new Float64Array(out);
  const scale = size / out;
  for (let d = 0; d < out; d++) {
    const f = (d + 0.5) * scale - 0.5;
    let s = Math.floor(f);
    let frac = f - s;
    if (s < 0) [s, frac] = [0, 0];
    if (s >= size - 1) [s, frac] = [size - 1, 0];
    i0[d] = s;
    i1[d] = Math.min(s + 1, size - 1);
    a[d] = frac;
  }
  return { i0, i1, a };
}

/** Every image of the batch resampled to toH x toW (NHWC, any channel count). */
export function bilinear(batch: ImageBatch, toH: number, toW: number): ImageBatch {
  const [c, h, w] = batch.shape;
  if (h === toH && w === toW) return batch;
  const ys = taps(h, toH);
  const xs = taps(w, toW);
  const src = batch.data;
  const out = new Float32Array(batch.count * toH * toW * c); // [N, toH, toW, C]
  const rowIn = w * c;
  let d = 0;
  for (let n = 0; n < batch.count; n++) {
    const image = n * h * rowIn;
    for (let y = 0; y < toH; y++) {
      const r0 = image + ys.i0[y] * rowIn;
      const r1 = image + ys.i1[y] * rowIn;
      const ay = ys.a[y];
      for (let x = 0; x < toW; x++) {
        const c0 = xs.i0[x] * c;
        const c1 = xs.i1[x] * c;
        const ax = xs.a[x];
        for (let k = 0; k < c; k++) {
          const top = (1 - ax) * src[r0 + c0 + k] + ax * src[r0 + c1 + k];
          const bottom = (1 - ax) * src[r1 + c0 + k] + ax * src[r1 + c1 + k];
          out[d++] = (1 - ay) * top + ay * bottom;
        }
      }
    }
  }
  return { data: out, count: batch.count, shape: [c, toH, toW] };
}
