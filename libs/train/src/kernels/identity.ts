import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { reshapeView, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * Identity without a copy. tfjs clones every tensor it saves for the backward pass (34 per LeNet-5 step),
 * and the built-in copies the data each time; tensors never change in place, so sharing the data, as
 * Reshape does, is safe. Strings go to the built-in.
 */
export function makeIdentityConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return builtin.kernelFunc(args);
    return reshapeView(args.backend as unknown as RefCountedBackend, x, [...x.shape]);
  };
  return { kernelName: Identity, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
