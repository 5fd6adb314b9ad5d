import type { CenterCropTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import { heightWidth } from './size';
import type { ImageBatch, ImageShape, TransformOp } from './types';

/** Keeps `to` rows from row floor((h - H) / 2) and `to` columns from column floor((w - W) / 2). */
export const centerCrop: TransformOp<CenterCropTransform> = {
  outputShape(t, [c, h, w]): ImageShape {
    const [toH, toW] = heightWidth(t.to);
    if (toH > h || toW > w) throw new DataError(`to=${JSON.stringify(t.to)} is larger than the ${h}x${w} image`);
    return [c, toH, toW];
  },

  apply(batch: ImageBatch, t: CenterCropTransform): ImageBatch {
    const shape = centerCrop.outputShape(t, batch.shape);
    return cropBatch(batch, shape);
  },

  step(t, shape) {
    const [, height, width] = centerCrop.outputShape(t, shape);
    return { type: 'center-crop', height, width };
  },
};

/** The centre `shape` of every image of the batch (resize's cover uses it too). */
export function cropBatch(batch: ImageBatch, shape: ImageShape): ImageBatch {
  const [c, h, w] = batch.shape;
  const [, toH, toW] = shape;
  if (toH === h && toW === w) return batch;
  const top = Math.floor((h - toH) / 2);
  const left = Math.floor((w - toW) / 2);
  const src = batch.data;
  const out = new Float32Array(batch.count * toH * toW * c); // [N, toH, toW, C]
  const rowIn = w * c;
  const rowOut = toW * c;
  let d = 0;
  for (let n = 0; n < batch.count; n++) {
    for (let y = 0; y < toH; y++) {
      let s = n * h * rowIn + (top + y) * rowIn + left * c;
      const end = s + rowOut;
      while (s < end) out[d++] = src[s++];
    }
  }
  return { data: out, count: batch.count, shape };
}
