/** Test data for the trainer's tests: small, seeded, quick to learn. */
import type { Progress, Split } from './index';

/** Three classes of 8x8 images that differ in which rows are bright, so a few steps make progress. */
export function synthetic(count: number, seed: number): Split {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const images = new Float32Array(count * 64);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let p = 0; p < 64; p++) images[i * 64 + p] = rand() * 0.3 + (Math.floor(p / 8) % 3 === labels[i] ? 1 : 0);
  }
  return { images, labels, count };
}

export const quiet: Progress = { startEpoch() {}, batch() {}, endEpoch() {}, stop() {} };
