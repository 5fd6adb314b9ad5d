import type { PadTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import { heightWidth } from './size';
import type { ImageBatch, Placement, TransformOp } from './types';

/** Centres each image on a canvas of `to` ([height, width], or a square side) filled with `value`; an odd margin puts the extra pixel bottom/right. */
export const pad: TransformOp<Required<PadTransform>> = {
  outputShape(t, [c, h, w]) {
    const [toH, toW] = heightWidth(t.to);
    if (toH < h || toW < w) throw new DataError(`to=${JSON.stringify(t.to)} is smaller than the ${h}x${w} image`);
    if (!Number.isFinite(t.value)) throw new DataError(`value must be a finite number (got ${t.value})`);
    return [c, toH, toW];
  },

  place(t, shape): Placement {
    const out = pad.outputShape(t, shape);
    // -0 becomes 0: a fresh canvas already holds 0, and both ways of padding must give the same bits
    return { shape: out, top: (out[1] - shape[1]) >> 1, left: (out[2] - shape[2]) >> 1, fill: t.value === 0 ? 0 : t.value };
  },

  apply(batch: ImageBatch, t: Required<PadTransform>): ImageBatch {
    const [c, h, w] = batch.shape;
    const { shape, top, left, fill } = pad.place!(t, batch.shape);
    const [, toH, toW] = shape;
    if (toH === h && toW === w) return batch;
    const src = batch.data;
    const out = new Float32Array(batch.count * toH * toW * c); // [N, toH, toW, C]
    if (fill !== 0) out.fill(fill);
    const rowIn = w * c;
    const rowOut = toW * c;
    const imageIn = h * rowIn;
    const imageOut = toH * rowOut;
    for (let n = 0; n < batch.count; n++) {
      for (let y = 0; y < h; y++) {
        // a plain copy loop: one subarray per 28-pixel row costs more than the copy itself
        let s = n * imageIn + y * rowIn;
        let d = n * imageOut + (top + y) * rowOut + left * c;
        const end = s + rowIn;
        while (s < end) out[d++] = src[s++];
      }
    }
    return { data: out, count: batch.count, shape };
  },

  step(t, shape) {
    const { shape: out, top, left, fill } = pad.place!(t, shape);
    return { type: 'pad', top, bottom: out[1] - shape[1] - top, left, right: out[2] - shape[2] - left, value: fill };
  },
};
