import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { isChannelBias } from './add';
import { biasPattern, offset, simd, type MemoryBackend } from './simd';
import { Intermediates, registerOnce, WASM } from './wasm-ops';

/**
 * a · tanh(s · x), the tanh of every model here (s = a = 1 for plain tanh, LeNet-5's 1.7159 · tanh(2x/3)),
 * as one kernel forward and one backward. On wasm each is a single SIMD pass (simd.wat); tfjs would take
 * three passes forward and five backward, and its Tanh is scalar code. Other backends compose built-ins.
 * The layer's bias comes in the same pass: an Add before it, with its own call and pass over the layer's
 * output (LeNet-5's C1: 0.15 ms for 64 images), gives the same bits.
 */
const SCALED_TANH = 'TrainyardScaledTanh';
const SCALED_TANH_GRAD = 'TrainyardScaledTanhGrad';

interface Attrs extends NamedAttrMap {
  scale: number;
  amplitude: number;
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const x = inputs.x as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const { scale, amplitude } = attrs as Attrs;
  const held = new Intermediates(b);
  try {
    const pattern = bias && biasPattern(b, held, bias);
    const y = b.makeOutput(x.shape, 'float32');
    const n = tf.util.sizeFromShape(x.shape);
    if (n > 0) simd(b).scaledTanh(offset(b, x), offset(b, y), n, scale, amplitude, pattern ? offset(b, pattern.info) : 0, pattern ? 4 * pattern.floats : 0);
    return y;
  } finally {
    held.disposeAll();
  }
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const y = inputs.y as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { scale, amplitude } = attrs as Attrs;
  const dx = b.makeOutput(y.shape, 'float32');
  const n = tf.util.sizeFromShape(y.shape);
  if (n > 0) simd(b).scaledTanhGrad(offset(b, y), offset(b, dy), offset(b, dx), n, scale, amplitude);
  return dx;
};

const configs: KernelConfig[] = [
  { kernelName: SCALED_TANH, backendName: WASM, kernelFunc: forward },
  { kernelName: SCALED_TANH_GRAD, backendName: WASM, kernelFunc: backward },
];

/** The kernels' names, for a stack that calls them without the tape (stack.ts). */
export const SCALED_TANH_KERNELS = { forward: SCALED_TANH, backward: SCALED_TANH_GRAD } as const;

const gradient: GradConfig = {
  kernelName: SCALED_TANH,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    // The gradient before the tanh, once: x's, and summed down to the channels, the bias's (an Add's gradient).
    const inner = tf.engine().runKernel(SCALED_TANH_GRAD, { y: saved[0], dy: dy as tf.Tensor }, attrs as unknown as NamedAttrMap) as tf.Tensor;
    return { x: () => inner, bias: () => tf.sum(inner, [...Array(inner.rank - 1).keys()]) };
  },
};

/** Registers the two wasm kernels and the gradient; safe to call more than once. */
export function registerScaledTanh(): void {
  registerOnce(configs, gradient);
}

/**
 * a · tanh(s · (x + bias)), the bias (optional) one float per channel, x's last axis: the fused kernel where
 * the active backend has it, taking the bias in the same pass, built-ins elsewhere.
 */
export function scaledTanh(x: tf.Tensor, scale: number, amplitude: number, bias?: tf.Tensor): tf.Tensor {
  const fused = getKernel(SCALED_TANH, tf.getBackend()) !== undefined;
  if (bias !== undefined && !(fused && isChannelBias(x, bias) && bias.rank === 1)) {
    x = tf.add(x, bias);
    bias = undefined;
  }
  if (!fused) {
    const inner = scale === 1 ? x : tf.mul(x, scale);
    const y = tf.tanh(inner);
    return amplitude === 1 ? y : tf.mul(y, amplitude);
  }
  const attrs: Attrs = { scale, amplitude };
  return tf.engine().runKernel(SCALED_TANH, bias ? { x, bias } : { x }, attrs) as tf.Tensor;
}
