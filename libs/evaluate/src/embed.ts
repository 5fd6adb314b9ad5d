import seedrandom from 'seedrandom';
import { UMAP } from 'umap-js';

/**
 * UMAP of `count` points of `width` values to 2-D: [count][2], row-major. The generator is seeded, so the
 * same points, neighbours and seed give the same map.
 */
export function embed(points: Float32Array, width: number, opts: { neighbors: number; seed: number; onEpoch?: (epoch: number, epochs: number) => void }): Float32Array {
  const count = points.length / width;
  const rows = Array.from({ length: count }, (_, i) => Array.from(points.subarray(i * width, (i + 1) * width)));
  // UMAP needs more points than neighbours.
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(opts.neighbors, count - 1), random: seedrandom(String(opts.seed)) });
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if ((e + 1) % 100 === 0 || e + 1 === epochs) opts.onEpoch?.(e + 1, epochs);
  }
  return Float32Array.from(umap.getEmbedding().flat());
}
