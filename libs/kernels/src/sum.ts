import * as tf from '@tensorflow/tfjs-core';
import { Sum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { channelPattern, offset, simd, type MemoryBackend } from './simd';
import { Intermediates, WASM } from './wasm-ops';

/**
 * Sum for wasm over every axis but the last, [..., C] down to [C] (a bias's gradient, in every conv and dense
 * layer): one SIMD pass, where the built-in first transposes C to the front. Every other Sum goes to the
 * built-in.
 */
export function makeSumConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    // Only a sum over every axis but the last.
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return builtin.kernelFunc(args);
    const channels = x.shape[rank - 1];
    return channelSums(args.backend as unknown as MemoryBackend, x, keepDims ? [...Array<number>(rank - 1).fill(1), channels] : [channels]);
  };
  return { kernelName: Sum, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}

/** x [..., C] summed over every axis but the last, into a new tensor of `shape` (C floats): one SIMD pass. */
export function channelSums(b: MemoryBackend, x: TensorInfo, shape: number[]): TensorInfo {
  const held = new Intermediates(b);
  try {
    const channels = x.shape[x.shape.length - 1];
    const acc = channelPattern(b, held, channels);
    simd(b).sumPattern(offset(b, x), tf.util.sizeFromShape(x.shape), offset(b, acc.info), acc.floats);
    const out = b.makeOutput(shape, 'float32');
    const partial = b.typedArrayFromHeap(acc.info);
    const sums = b.typedArrayFromHeap(out);
    sums.fill(0);
    for (let at = 0; at < acc.floats; at += channels) for (let c = 0; c < channels; c++) sums[c] += partial[at + c];
    return out;
  } finally {
    held.disposeAll();
  }
}
