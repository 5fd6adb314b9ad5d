import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { channelPattern, offset, simd, type MemoryBackend } from './simd';
import { Intermediates, registerOnce, WASM } from './wasm-ops';

/**
 * Batch normalization while training, over every axis but the last ([N, H, W, C] per feature map, [N, D] per
 * unit): y = gamma (x - mean) / sqrt(var + epsilon) + beta with the batch's mean and biased variance, which it
 * also returns. On wasm, three SIMD passes forward (sum, sum of squares about the mean, y) and two backward (the
 * sums of dy and of dy (x - mean) in one, then dx), where tfjs's moments and broadcasting took about a fifth of a
 * step of fashion-small-convnet's model. Other backends compose built-ins.
 */
const BATCH_NORM = 'TrainyardBatchNorm';
const BATCH_NORM_GRAD = 'TrainyardBatchNormGrad';

interface Attrs extends NamedAttrMap {
  epsilon: number;
}

/** Per channel, from a pattern of partial sums (simd.ts channelPattern): their totals, in doubles. */
function totals(b: MemoryBackend, acc: { info: TensorInfo }, channels: number): Float64Array {
  const partial = b.typedArrayFromHeap(acc.info);
  const out = new Float64Array(channels);
  for (let at = 0; at < partial.length; at += channels) for (let c = 0; c < channels; c++) out[c] += partial[at + c];
  return out;
}

/** A [C] output holding `values` (rounded to float32). */
function channelOutput(b: MemoryBackend, values: ArrayLike<number>): TensorInfo {
  const out = b.makeOutput([values.length], 'float32');
  b.typedArrayFromHeap(out).set(values);
  return out;
}

/** What both directions start from: x's channel count, its size, the values per channel, and the kernels. */
function shapeOf(b: MemoryBackend, x: TensorInfo) {
  const channels = x.shape[x.shape.length - 1];
  const n = tf.util.sizeFromShape(x.shape);
  return { channels, n, m: n / channels, kernels: simd(b) };
}

/** A channel vector as a pattern (C floats repeated to lcm(C, 4)), for the SIMD passes. */
function pattern(b: MemoryBackend, held: Intermediates, values: ArrayLike<number>): { info: TensorInfo; floats: number } {
  return channelPattern(b, held, values.length, Float32Array.from(values));
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const { epsilon } = attrs as Attrs;
  const { channels, n, m, kernels } = shapeOf(b, x);
  const held = new Intermediates(b);
  try {
    const acc = channelPattern(b, held, channels);
    kernels.sumPattern(offset(b, x), n, offset(b, acc.info), acc.floats);
    const mean = Float32Array.from(totals(b, acc, channels), (s) => s / m);
    const meanPattern = pattern(b, held, mean);
    kernels.sumProductsPattern(offset(b, x), offset(b, meanPattern.info), offset(b, x), offset(b, meanPattern.info), n, offset(b, acc.info), acc.floats);
    const variance = Float32Array.from(totals(b, acc, channels), (s) => s / m);
    const g = b.typedArrayFromHeap(gamma);
    const bt = b.typedArrayFromHeap(beta);
    const scale = Array.from(variance, (v, c) => g[c] / Math.sqrt(v + epsilon));
    const shift = scale.map((s, c) => bt[c] - mean[c] * s);
    const [scaleP, zeroP, shiftP] = [pattern(b, held, scale), pattern(b, held, new Float32Array(channels)), pattern(b, held, shift)];
    const y = b.makeOutput(x.shape, 'float32');
    kernels.affinePattern(offset(b, x), offset(b, scaleP.info), offset(b, x), offset(b, zeroP.info), offset(b, shiftP.info), offset(b, y), n, acc.floats);
    return [y, channelOutput(b, mean), channelOutput(b, variance)];
  } finally {
    held.disposeAll();
  }
};

// dbeta = sum dy; dgamma = rstd sum dy (x - mean); dx = a dy + B x + C per channel, with a = gamma rstd,
// B = -a rstd dgamma / m and C = -a dbeta / m - B mean: a (dy - dbeta / m - xhat dgamma / m), in one pass.
const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as MemoryBackend;
  const { dy, x, gamma, mean, variance } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; mean: TensorInfo; variance: TensorInfo };
  const { epsilon } = attrs as Attrs;
  const { channels, n, m, kernels } = shapeOf(b, x);
  const held = new Intermediates(b);
  try {
    const [acc, accProducts] = [channelPattern(b, held, channels), channelPattern(b, held, channels)];
    const mu = b.typedArrayFromHeap(mean);
    const meanP = pattern(b, held, mu);
    kernels.sumWithProductsPattern(offset(b, dy), offset(b, x), offset(b, meanP.info), n, offset(b, acc.info), offset(b, accProducts.info), acc.floats);
    const dbeta = totals(b, acc, channels);
    const g = b.typedArrayFromHeap(gamma);
    const v = b.typedArrayFromHeap(variance);
    const rstd = Array.from(v, (value) => 1 / Math.sqrt(value + epsilon));
    const dgamma = Array.from(totals(b, accProducts, channels), (s, c) => s * rstd[c]);
    const a = rstd.map((r, c) => g[c] * r);
    const slope = a.map((ac, c) => (-ac * rstd[c] * dgamma[c]) / m);
    const constant = a.map((ac, c) => (-ac * dbeta[c]) / m - slope[c] * mu[c]);
    const [aP, slopeP, constantP] = [pattern(b, held, a), pattern(b, held, slope), pattern(b, held, constant)];
    const dx = b.makeOutput(x.shape, 'float32');
    kernels.affinePattern(offset(b, dy), offset(b, aP.info), offset(b, x), offset(b, slopeP.info), offset(b, constantP.info), offset(b, dx), n, acc.floats);
    return [dx, channelOutput(b, dgamma), channelOutput(b, dbeta)];
  } finally {
    held.disposeAll();
  }
};

const configs: KernelConfig[] = [
  { kernelName: BATCH_NORM, backendName: WASM, kernelFunc: forward },
  { kernelName: BATCH_NORM_GRAD, backendName: WASM, kernelFunc: backward },
];

const gradient: GradConfig = {
  kernelName: BATCH_NORM,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, mean, variance] = saved;
    // Only y reaches the loss: mean and variance feed the moving statistics, outside the gradient.
    const dy = (dys as tf.Tensor[])[0];
    const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, gamma, mean, variance }, attrs as unknown as NamedAttrMap) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};

/** Registers the two wasm kernels and the gradient; safe to call more than once. */
export function registerBatchNorm(): void {
  registerOnce(configs, gradient);
}

/** Batch norm while training, with the batch's mean and biased variance: the fused kernel where the active backend has it. */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  if (getKernel(BATCH_NORM, tf.getBackend()) === undefined) {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    return { y: batchNormalize(x, mean, variance, gamma, beta, epsilon), mean, variance };
  }
  const attrs: Attrs = { epsilon };
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM, { x, gamma, beta }, attrs) as tf.Tensor[];
  return { y, mean, variance };
}

/** gamma (x - mean) / sqrt(variance + epsilon) + beta over the last axis, from given statistics (inference's moving ones), with built-ins. */
export function batchNormalize(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.add(tf.mul(tf.sub(x, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)))), beta);
}
