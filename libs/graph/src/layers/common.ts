import type { ParamRole, ParamSpec, Shape } from '../types';

export function pair(v: number | [number, number] | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : v;
}

/** Output length of a sliding window, as TensorFlow and ONNX define 'valid' and 'same'. */
export function windowOut(size: number, window: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
}

/** Total padding 'same' adds along one axis; TensorFlow puts the odd pixel at the end. */
export function samePadding(size: number, window: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function expectImage(shape: Shape, what: string): [number, number, number] {
  if (shape.length !== 3) throw new Error(`${what} needs an image input [C, H, W], got [${shape.join(', ')}]`);
  return shape as [number, number, number];
}

/** A Glorot-uniform kernel; `count` is its size unless a connection table leaves weights out. */
export function kernelParam(name: string, shape: number[], fanIn: number, fanOut: number, count = shape.reduce((a, b) => a * b, 1)): ParamSpec {
  return { name, role: 'kernel', shape, fanIn, fanOut, trainable: true, count };
}

/** A per-channel tensor that starts at `initial` everywhere: trainable (counted) or state (not counted). */
export function constantParam(name: string, role: ParamRole, channels: number, initial: number, trainable = true): ParamSpec {
  return { name, role, shape: [channels], fanIn: 0, fanOut: 0, initial, trainable, count: trainable ? channels : 0 };
}
