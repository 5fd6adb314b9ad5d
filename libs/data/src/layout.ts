import type { ImageShape } from './transforms/types';

/**
 * Images as the data lib stores them (NHWC, the layout TensorFlow.js trains on) in channels-first order
 * (NCHW, the layout of the ONNX input). One channel is the same bytes either way: the array itself.
 */
export function channelsFirst(images: Float32Array, count: number, [c, h, w]: ImageShape): Float32Array {
  if (c === 1) return images;
  const out = new Float32Array(count * c * h * w);
  const plane = h * w;
  for (let n = 0; n < count; n++) {
    const base = n * c * plane;
    for (let p = 0; p < plane; p++) for (let ch = 0; ch < c; ch++) out[base + ch * plane + p] = images[base + p * c + ch];
  }
  return out;
}
