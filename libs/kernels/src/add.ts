import * as tf from '@tensorflow/tfjs-core';
import { Add, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { biasPattern, offset, simd, type MemoryBackend } from './simd';
import { Intermediates, WASM } from './wasm-ops';

/** True when `bias` is C floats that broadcast along the last axis of `x` without changing its shape. */
export function isChannelBias(x: TensorInfo, bias: TensorInfo): boolean {
  const channels = x.shape.at(-1);
  if (x.dtype !== 'float32' || bias.dtype !== 'float32' || channels === undefined || bias.shape.length > x.shape.length) return false;
  if (bias.shape.at(-1) !== channels || tf.util.sizeFromShape(bias.shape) !== channels) return false;
  return tf.util.sizeFromShape(x.shape) > channels;
}

/**
 * Add for wasm when one operand is a per-channel bias of the other, [..., C] + [C] (the forward bias pass of
 * every conv and dense layer): one SIMD pass, where the built-in broadcasts with scalar index arithmetic.
 * Every other Add goes to the built-in. Its gradient, the Sum down to [C], is sum.ts.
 */
export function makeAddConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const a = args.inputs.a as TensorInfo;
    const c = args.inputs.b as TensorInfo;
    const [x, bias] = isChannelBias(a, c) ? [a, c] : isChannelBias(c, a) ? [c, a] : [];
    if (x === undefined || bias === undefined) return builtin.kernelFunc(args);
    const b = args.backend as unknown as MemoryBackend;
    const held = new Intermediates(b);
    try {
      const repeated = biasPattern(b, held, bias);
      const y = b.makeOutput(x.shape, 'float32');
      simd(b).addPattern(offset(b, x), offset(b, repeated.info), repeated.floats, offset(b, y), tf.util.sizeFromShape(x.shape));
      return y;
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: Add, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
