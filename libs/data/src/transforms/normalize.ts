import type { NormalizeTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import type { ImageBatch, TransformOp } from './types';

/** x -> (x - mean) / std, in place. */
export const normalize: TransformOp<NormalizeTransform> = {
  pixelwise: true,

  outputShape(t, shape) {
    if (!Number.isFinite(t.mean)) throw new DataError(`mean must be a finite number (got ${t.mean})`);
    if (!(Number.isFinite(t.std) && t.std > 0)) throw new DataError(`std must be a number > 0 (got ${t.std})`);
    return shape;
  },

  apply(batch: ImageBatch, t: NormalizeTransform): ImageBatch {
    normalize.outputShape(t, batch.shape);
    const d = batch.data;
    const { mean, std } = t;
    // a division, not a multiplication by 1/std, so that the result is exactly what the preprocessing line says
    for (let i = 0; i < d.length; i++) d[i] = (d[i] - mean) / std;
    return batch;
  },

  step: (t) => ({ type: 'normalize', mean: t.mean, std: t.std }),
};
