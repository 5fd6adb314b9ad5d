import * as tf from '@tensorflow/tfjs-core';
import { Add, Sum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { Intermediates, WASM } from './wasm-ops';

/**
 * The two bias passes of every conv and dense layer, on wasm: adding a per-channel bias to [..., C]
 * (the forward) and summing [..., C] down to [C] (the bias's gradient). The built-ins broadcast with
 * scalar index arithmetic, and Sum first transposes C to the front; here each is one SIMD pass.
 * Every other Add and Sum goes to the built-in.
 */

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The bias repeated to lcm(C, 4) floats, in a temporary tensor on the heap. */
function pattern(b: MemoryBackend, held: Intermediates, channels: number, fill?: Float32Array): { info: TensorInfo; floats: number } {
  const floats = (channels * 4) / gcd(channels, 4);
  const info = held.track(b.makeOutput([floats], 'float32'));
  if (fill) {
    const view = b.typedArrayFromHeap(info);
    for (let at = 0; at < floats; at += channels) view.set(fill, at);
  }
  return { info, floats };
}

/** True when `bias` is C floats that broadcast along the last axis of `x` without changing its shape. */
function isChannelBias(x: TensorInfo, bias: TensorInfo): boolean {
  const channels = x.shape.at(-1);
  if (x.dtype !== 'float32' || bias.dtype !== 'float32' || channels === undefined || bias.shape.length > x.shape.length) return false;
  if (bias.shape.at(-1) !== channels || tf.util.sizeFromShape(bias.shape) !== channels) return false;
  return tf.util.sizeFromShape(x.shape) > channels;
}

export function makeAddConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const a = args.inputs.a as TensorInfo;
    const c = args.inputs.b as TensorInfo;
    const [x, bias] = isChannelBias(a, c) ? [a, c] : isChannelBias(c, a) ? [c, a] : [];
    if (x === undefined || bias === undefined) return builtin.kernelFunc(args);
    const b = args.backend as unknown as MemoryBackend;
    const held = new Intermediates(b);
    try {
      const channels = bias.shape.at(-1)!;
      const repeated = pattern(b, held, channels, b.typedArrayFromHeap(bias).slice());
      const y = b.makeOutput(x.shape, 'float32');
      simd(b).addPattern(offset(b, x), offset(b, repeated.info), repeated.floats, offset(b, y), tf.util.sizeFromShape(x.shape));
      return y;
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: Add, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}

export function makeSumConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    // Only a sum over every axis but the last.
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) === 0) return builtin.kernelFunc(args);
    const b = args.backend as unknown as MemoryBackend;
    const held = new Intermediates(b);
    try {
      const channels = x.shape[rank - 1];
      const acc = pattern(b, held, channels);
      simd(b).sumPattern(offset(b, x), tf.util.sizeFromShape(x.shape), offset(b, acc.info), acc.floats);
      const out = b.makeOutput(keepDims ? [...Array<number>(rank - 1).fill(1), channels] : [channels], 'float32');
      const partial = b.typedArrayFromHeap(acc.info);
      const sums = b.typedArrayFromHeap(out);
      sums.fill(0);
      for (let at = 0; at < acc.floats; at += channels) for (let c = 0; c < channels; c++) sums[c] += partial[at + c];
      return out;
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: Sum, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
