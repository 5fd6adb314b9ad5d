import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Trained parameters and state (batchnorm's moving statistics) by ParamSpec name (`C1/kernel`, `C1/bias`,
 * `BN1/moving_mean`, ...). Conv kernels [kh, kw, in, out], dense [in, out].
 */
export type Weights = Record<string, { shape: number[]; data: Float32Array }>;

interface WeightsIndex {
  dtype: 'float32';
  /** Offsets and lengths in floats into weights.bin (little-endian float32). */
  params: { name: string; shape: number[]; offset: number; length: number }[];
}

/** Writes `weights.json` (index) and `weights.bin` (every tensor, concatenated) into `dir`. */
export function writeWeights(dir: string, weights: Weights): void {
  let offset = 0;
  const params = Object.entries(weights).map(([name, { shape, data }]) => {
    const entry = { name, shape, offset, length: data.length };
    offset += data.length;
    return entry;
  });
  const all = new Float32Array(offset);
  for (const p of params) all.set(weights[p.name].data, p.offset);
  const index: WeightsIndex = { dtype: 'float32', params };
  writeFileSync(join(dir, 'weights.json'), JSON.stringify(index, null, 2) + '\n');
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(all.buffer));
}

export function readWeights(dir: string): Weights {
  const index = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as WeightsIndex;
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const weights: Weights = {};
  for (const p of index.params) weights[p.name] = { shape: p.shape, data: all.slice(p.offset, p.offset + p.length) };
  return weights;
}
