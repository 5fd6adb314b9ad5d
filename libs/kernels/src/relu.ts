import * as tf from '@tensorflow/tfjs-core';
import { getKernel, Relu, type GradConfig, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { registerOnce, runWasmKernel, WASM } from './wasm-ops';

/**
 * ReLU with its gradient in one SIMD pass: tfjs's gradient of Relu, dy * step(x), is three kernels and passes
 * (Step, Cast, Multiply: 1.56-1.66 ms at fashion-small-convnet's first ReLU, 128 images, against 0.79-1.21). The
 * forward pass is the built-in Relu, so its bits; the gradient makes the same products (simd.wat reluGrad).
 */
const RELU = 'TrainyardRelu';
const RELU_GRAD = 'TrainyardReluGrad';

const forward: KernelFunc = ({ inputs, backend }) => runWasmKernel(Relu, backend as unknown as MemoryBackend, { x: inputs.x });

const backward: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as MemoryBackend;
  const x = inputs.x as TensorInfo;
  const dx = b.makeOutput(x.shape, 'float32');
  const n = tf.util.sizeFromShape(x.shape);
  if (n > 0) simd(b).reluGrad(offset(b, x), offset(b, inputs.dy as TensorInfo), offset(b, dx), n);
  return dx;
};

const configs: KernelConfig[] = [
  { kernelName: RELU, backendName: WASM, kernelFunc: forward },
  { kernelName: RELU_GRAD, backendName: WASM, kernelFunc: backward },
];

const gradient: GradConfig = {
  kernelName: RELU,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.engine().runKernel(RELU_GRAD, { x: saved[0], dy: dy as tf.Tensor }) as tf.Tensor }),
};

/** Registers the two wasm kernels and the gradient; safe to call more than once. */
export function registerRelu(): void {
  registerOnce(configs, gradient);
}

/** max(x, 0): the kernel pair above where the active backend has it (float32), tf.relu elsewhere. */
export function relu(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || getKernel(RELU, tf.getBackend()) === undefined) return tf.relu(x);
  return tf.engine().runKernel(RELU, { x }) as tf.Tensor;
}
