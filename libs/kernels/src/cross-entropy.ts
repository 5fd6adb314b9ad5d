import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { registerOnce, WASM, type HeapBackend } from './wasm-ops';

/**
 * scale × the mean over a batch of the softmax cross-entropy of logits [N, C] against labels [N, C]
 * (tf.losses.softmaxCrossEntropy's loss), as one kernel forward and one backward on wasm. tfjs composes it
 * from about thirty kernels, each with a fixed cost that dwarfs the arithmetic on a batch of 10 classes.
 */
const CROSS_ENTROPY = 'TrainyardCrossEntropy';
const CROSS_ENTROPY_GRAD = 'TrainyardCrossEntropyGrad';
/** The kernels by name, for a stack of layers run without the tape (stack.ts). */
export const CROSS_ENTROPY_KERNELS = { forward: CROSS_ENTROPY, backward: CROSS_ENTROPY_GRAD } as const;

interface Attrs extends NamedAttrMap {
  scale: number;
}

/** Each row's log of the sum of exponentials, computed from its maximum so that nothing overflows. */
function logSumExp(logits: Float32Array, n: number, c: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, logits[i * c + k]);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(logits[i * c + k] - max);
    out[i] = max + Math.log(sum);
  }
  return out;
}

/**
 * The forward pass's log-sum-exps by its logits' data, for the backward pass of the same logits (the tape hands it
 * a clone that shares the data): its exponentials then are half as many. Logits are never written in place.
 */
const forwardLse = new WeakMap<object, Float64Array>();

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as HeapBackend;
  const { logits, labels } = inputs as Record<'logits' | 'labels', TensorInfo>;
  const [n, c] = logits.shape;
  const x = b.typedArrayFromHeap(logits);
  const y = b.typedArrayFromHeap(labels);
  const lse = logSumExp(x, n, c);
  forwardLse.set(logits.dataId, lse);
  let total = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) total += y[i * c + k] * (lse[i] - x[i * c + k]);
  const out = b.makeOutput([], 'float32');
  b.typedArrayFromHeap(out)[0] = n > 0 ? ((attrs as Attrs).scale * total) / n : 0;
  return out;
};

// d/dx of the row's loss sum_k y_k (lse - x_k) is (sum_k y_k) softmax(x) - y.
const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as HeapBackend;
  const { logits, labels, dy } = inputs as Record<'logits' | 'labels' | 'dy', TensorInfo>;
  const [n, c] = logits.shape;
  const dx = b.makeOutput([n, c], 'float32');
  const x = b.typedArrayFromHeap(logits);
  const y = b.typedArrayFromHeap(labels);
  const g = (b.typedArrayFromHeap(dy)[0] * (attrs as Attrs).scale) / n;
  const out = b.typedArrayFromHeap(dx);
  const lse = forwardLse.get(logits.dataId) ?? logSumExp(x, n, c);
  for (let i = 0; i < n; i++) {
    let mass = 0;
    for (let k = 0; k < c; k++) mass += y[i * c + k];
    for (let k = 0; k < c; k++) out[i * c + k] = g * (mass * Math.exp(x[i * c + k] - lse[i]) - y[i * c + k]);
  }
  return dx;
};

const configs: KernelConfig[] = [
  { kernelName: CROSS_ENTROPY, backendName: WASM, kernelFunc: forward },
  { kernelName: CROSS_ENTROPY_GRAD, backendName: WASM, kernelFunc: backward },
];

const gradient: GradConfig = {
  kernelName: CROSS_ENTROPY,
  inputsToSave: ['logits', 'labels'],
  gradFunc: (dy, saved, attrs) => {
    const [logits, labels] = saved;
    return {
      logits: () => tf.engine().runKernel(CROSS_ENTROPY_GRAD, { logits, labels, dy: dy as tf.Tensor }, attrs as unknown as NamedAttrMap) as tf.Tensor,
      labels: () => tf.zerosLike(labels),
    };
  },
};

/** Registers the two wasm kernels and the gradient; safe to call more than once. */
export function registerCrossEntropy(): void {
  registerOnce(configs, gradient);
}

/** scale × mean softmax cross-entropy of `logits` against `labels` (one-hot or soft): the fused kernel where the backend has it. */
export function crossEntropy(labels: tf.Tensor, logits: tf.Tensor, scale = 1): tf.Scalar {
  if (getKernel(CROSS_ENTROPY, tf.getBackend()) === undefined) {
    const loss = tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    return scale === 1 ? loss : tf.mul(loss, scale);
  }
  const attrs: Attrs = { scale };
  return tf.engine().runKernel(CROSS_ENTROPY, { logits, labels }, attrs) as tf.Scalar;
}
