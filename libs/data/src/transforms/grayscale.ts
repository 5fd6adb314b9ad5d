import type { GrayscaleTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import type { ImageBatch, ImageShape, TransformOp } from './types';

/** ITU-R BT.601 luma weights, as OpenCV's and Pillow's RGB-to-gray conversions use them. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** One gray value from R, G, B: the weighted sum in float64, rounded once to float32. */
export function luma(r: number, g: number, b: number): number {
  return Math.fround(LUMA[0] * r + LUMA[1] * g + LUMA[2] * b);
}

/** Three channels to one: x = 0.299 R + 0.587 G + 0.114 B. */
export const grayscale: TransformOp<GrayscaleTransform> = {
  outputShape(_t, [c, h, w]): ImageShape {
    if (c !== 3) throw new DataError(`needs images of 3 channels (got ${c})`);
    return [1, h, w];
  },

  apply(batch: ImageBatch, t: GrayscaleTransform): ImageBatch {
    const shape = grayscale.outputShape(t, batch.shape);
    const src = batch.data;
    const out = new Float32Array(src.length / 3); // [N, H, W, 1]
    for (let i = 0, s = 0; i < out.length; i++, s += 3) out[i] = luma(src[s], src[s + 1], src[s + 2]);
    return { data: out, count: batch.count, shape };
  },

  step: () => ({ type: 'grayscale' }),
};
