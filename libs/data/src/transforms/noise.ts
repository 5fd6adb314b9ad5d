import seedrandom from 'seedrandom';
import type { NoiseTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import type { ImageBatch, SplitName, TransformOp } from './types';

/**
 * Adds N(0, std^2) to every pixel of the listed splits, in place. One stream per (seed, split) runs
 * through the split in sample order, so a sample's noise depends on its place in the split only,
 * never on how training later batches it.
 */
export const noise: TransformOp<Required<NoiseTransform>> = {
  outputShape(t, shape) {
    if (!(Number.isFinite(t.std) && t.std >= 0)) throw new DataError(`std must be a number >= 0 (got ${t.std})`);
    if (!Number.isInteger(t.seed)) throw new DataError(`seed must be an integer (got ${t.seed})`);
    for (const s of t.splits) {
      if (s !== 'train' && s !== 'validation' && s !== 'test') {
        throw new DataError(`splits: '${String(s)}' is not a split; expected train, validation or test`);
      }
    }
    return shape;
  },

  apply(batch: ImageBatch, t: Required<NoiseTransform>, split: SplitName): ImageBatch {
    noise.outputShape(t, batch.shape);
    if (noise.skips!(t, split)) return batch;
    addGaussian(batch.data, t.std, noiseStream(t.seed, split));
    return batch;
  },

  step: () => undefined,

  skips: (t, split) => t.std === 0 || !t.splits.includes(split),
};

/** Alea rather than seedrandom's default ARC4: about five times faster, and a split can need 50M draws. */
export function noiseStream(seed: number, split: SplitName): () => number {
  return seedrandom.alea(`noise:${seed}:${split}`);
}

/** Box-Muller: each pair of uniforms gives two independent normals, both used. */
export function addGaussian(d: Float32Array, std: number, uniform: () => number): void {
  const n = d.length;
  const twoPi = 2 * Math.PI;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r = std * Math.sqrt(-2 * Math.log(1 - uniform())); // 1 - u lies in (0, 1]: log never sees 0
    const theta = twoPi * uniform();
    d[i] += r * Math.cos(theta);
    d[i + 1] += r * Math.sin(theta);
  }
  if (i < n) {
    const r = std * Math.sqrt(-2 * Math.log(1 - uniform()));
    d[i] += r * Math.cos(twoPi * uniform());
  }
}
