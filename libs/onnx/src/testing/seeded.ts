/** Test support: reproducible random numbers, weights and inputs. */
import seedrandom from 'seedrandom';
import type { Weights } from '../../../artifacts';
import { describeModel, size, type ModelSpec } from '../../../graph';

/** Floats in [0, 1) from seedrandom: every run of a test sees the same numbers. */
export const seededRandom = (seed: number): (() => number) => seedrandom(String(seed));

export function uniform(n: number, random: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
}

/**
 * Glorot-uniform kernels (random at absent connections too, so a missing mask would show), small random biases,
 * coefficients, gammas, betas and moving means (non-zero, so a dropped one would show), moving variances in [0.5, 1.5).
 */
export function randomWeights(model: ModelSpec, seed: number): Weights {
  const random = seededRandom(seed);
  const weights: Weights = {};
  for (const layer of describeModel(model).layers) {
    for (const p of layer.params) {
      const scale = p.role === 'kernel' ? Math.sqrt(6 / (p.fanIn + p.fanOut)) : 0.5;
      const data = uniform(size(p.shape), random, scale);
      weights[p.name] = { shape: p.shape, data: p.role === 'moving_variance' ? data.map((v) => 1 + v) : data };
    }
  }
  return weights;
}
