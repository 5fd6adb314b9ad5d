import { Cast, Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { reshapeView, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * Kernels that return their input's data under a new tensor, where the built-ins copy it: tensors never
 * change in place, so sharing the data, as Reshape does, is safe.
 */
function viewWhen(kernelName: string, same: (x: TensorInfo, attrs: Record<string, unknown>) => boolean) {
  return (builtin: KernelConfig): KernelConfig => {
    const kernelFunc: KernelFunc = (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === 'string' || !same(x, args.attrs as Record<string, unknown>)) return builtin.kernelFunc(args);
      return reshapeView(args.backend as unknown as RefCountedBackend, x, [...x.shape]);
    };
    return { kernelName, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
  };
}

/** tfjs clones every tensor it saves for the backward pass (34 per LeNet-5 step). */
export const makeIdentityConfig = viewWhen(Identity, () => true);

/** A cast to the same dtype (tf.avgPool's output, for one) changes nothing. */
export const makeCastConfig = viewWhen(Cast, (x, attrs) => attrs.dtype === x.dtype);
