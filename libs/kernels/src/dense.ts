import * as tf from '@tensorflow/tfjs-core';
import { getKernel, Relu, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { productInto } from './batch-mat-mul';
import { biasPattern, offset, simd, type MemoryBackend } from './simd';
import { channelSums } from './sum';
import { Intermediates, registerOnce, reshapeView, runWasmKernel, WASM } from './wasm-ops';

/**
 * A dense layer, act(x · w + bias), as one kernel forward and one backward (w's and the bias's gradients; x's,
 * when the tape asks for it, is one product more) where tfjs makes two or three calls forward and four or five
 * backward, each with its dispatch, tape entry and allocation. The same passes as the separate kernels
 * (BatchMatMul's product, the tanh's or Add's bias pass, the built-in Relu, ReLU's gradient, Sum's bias
 * gradient), in the same order: the same bits.
 */
const DENSE = 'TrainyardDense';
const DENSE_GRAD = 'TrainyardDenseGrad';

/** a · tanh(s · z), max(z, 0), or z itself (a linear layer). */
export type DenseActivation = { scale: number; amplitude: number } | 'relu' | 'linear';

interface Attrs extends NamedAttrMap {
  activation: 'tanh' | 'relu' | 'linear';
  scale: number;
  amplitude: number;
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const { x, w, bias } = inputs as Record<'x' | 'w' | 'bias', TensorInfo>;
  const { activation, scale, amplitude } = attrs as Attrs;
  const [m, k] = x.shape;
  const n = w.shape[1];
  const held = new Intermediates(b);
  try {
    const y = b.makeOutput([m, n], 'float32');
    productInto(b, held, x, w, y, m, k, n);
    const pattern = biasPattern(b, held, bias);
    // In place: both passes read each value before they write it.
    if (activation === 'tanh') simd(b).scaledTanh(offset(b, y), offset(b, y), m * n, scale, amplitude, offset(b, pattern.info), 4 * pattern.floats);
    else simd(b).addPattern(offset(b, y), offset(b, pattern.info), pattern.floats, offset(b, y), m * n);
    // ReLU's output, then its input, which its gradient reads (as the separate Relu keeps it): [y, z].
    return activation === 'relu' ? [runWasmKernel(Relu, b, { x: y }), y] : y;
  } finally {
    held.disposeAll();
  }
};

/**
 * [dz, dw, dbias]: dz the gradient before the activation (for x's: dz · wᵀ), dw = xᵀ · dz, dbias dz's column sums.
 * y is what the activation's gradient reads: the tanh's output, ReLU's input.
 */
const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const { x, y, dy } = inputs as Record<'x' | 'y' | 'dy', TensorInfo>;
  const { activation, scale, amplitude } = attrs as Attrs;
  const [m, k] = x.shape;
  const n = y.shape[1];
  const held = new Intermediates(b);
  try {
    let dz: TensorInfo;
    if (activation === 'linear') {
      dz = reshapeView(b, dy, [m, n]);
    } else {
      dz = b.makeOutput([m, n], 'float32');
      if (activation === 'tanh') simd(b).scaledTanhGrad(offset(b, y), offset(b, dy), offset(b, dz), m * n, scale, amplitude);
      else simd(b).reluGrad(offset(b, y), offset(b, dy), offset(b, dz), m * n);
    }
    const dw = b.makeOutput([k, n], 'float32');
    productInto(b, held, x, dz, dw, k, m, n, true);
    return [dz, dw, channelSums(b, dz, [n])];
  } finally {
    held.disposeAll();
  }
};

const configs: KernelConfig[] = [
  { kernelName: DENSE, backendName: WASM, kernelFunc: forward },
  { kernelName: DENSE_GRAD, backendName: WASM, kernelFunc: backward },
];

const gradient: GradConfig = {
  kernelName: DENSE,
  inputsToSave: ['x', 'w'],
  // The output, and ReLU's input where there is one: the gradient reads the last.
  outputsToSave: [true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, w, read] = [saved[0], saved[1], saved[saved.length - 1]];
    // Only y reaches the loss: ReLU's input is kept for the gradient alone.
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [dz, dw, dbias] = tf.engine().runKernel(DENSE_GRAD, { x, y: read, dy }, attrs as unknown as NamedAttrMap) as tf.Tensor[];
    // BatchMatMul's gradient for x, as tfjs takes it: only when the tape needs it (not for a first layer).
    return { x: () => tf.matMul(dz, w, false, true), w: () => dw, bias: () => dbias };
  },
};

/** Registers the two wasm kernels and the gradient; safe to call more than once. */
export function registerDense(): void {
  registerOnce(configs, gradient);
}

type Shaped = Pick<TensorInfo, 'shape' | 'dtype'>;

/**
 * The kernels' attributes for a layer on the active backend, where it has them and the shapes suit simd.wat's
 * product (x [N, K], w [K, U], bias [U], float32; N >= 3 and K >= 3 rows, U >= 4 columns); undefined otherwise.
 */
export function denseAttrs(x: Shaped, w: Shaped, bias: Shaped, activation: DenseActivation): NamedAttrMap | undefined {
  if (getKernel(DENSE, tf.getBackend()) === undefined || x.shape.length !== 2 || w.shape.length !== 2 || bias.shape.length !== 1) return undefined;
  if (x.dtype !== 'float32' || w.dtype !== 'float32' || bias.dtype !== 'float32') return undefined;
  const [m, k] = x.shape;
  const [rows, n] = w.shape;
  if (rows !== k || m < 3 || k < 3 || n < 4 || bias.shape[0] !== n) return undefined;
  const attrs: Attrs = typeof activation === 'string' ? { activation, scale: 1, amplitude: 1 } : { activation: 'tanh', ...activation };
  return attrs;
}

/** The kernels by name, for a stack of layers run without the tape (stack.ts). */
export const DENSE_KERNELS = { forward: DENSE, backward: DENSE_GRAD } as const;

/**
 * act(x · w + bias) for x [N, K], w [K, U], bias [U], as one kernel where the active backend has it and the
 * shapes suit simd.wat's product (denseAttrs); undefined otherwise (the caller composes the layer from separate ops).
 */
export function dense(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, activation: DenseActivation): tf.Tensor | undefined {
  const attrs = denseAttrs(x, w, bias, activation);
  if (attrs === undefined) return undefined;
  const out = tf.engine().runKernel(DENSE, { x, w, bias }, attrs) as tf.Tensor | tf.Tensor[];
  if (!Array.isArray(out)) return out;
  // ReLU's input: the tape keeps its own reference for the gradient.
  out[1].dispose();
  return out[0];
}
