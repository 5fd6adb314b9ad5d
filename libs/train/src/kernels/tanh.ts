import { Tanh, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { Intermediates, runWasmKernel, WASM, type HeapBackend } from './wasm-ops';

/**
 * Tanh for wasm as 2·sigmoid(2x) − 1: the built-in Tanh is scalar code (about 7x slower than the
 * vectorised Sigmoid on LeNet-5's C1 activations). Absolute error stays near float32 rounding (~1e-7).
 */
export function makeTanhConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return builtin.kernelFunc({ inputs, backend, attrs });
    const b = backend as unknown as HeapBackend;
    const held = new Intermediates(b);
    try {
      const doubled = held.track(b.makeOutput(x.shape, 'float32'));
      const xs = b.typedArrayFromHeap(x);
      let ys = b.typedArrayFromHeap(doubled);
      for (let i = 0; i < xs.length; i++) ys[i] = 2 * xs[i];
      const s = runWasmKernel('Sigmoid', b, { x: doubled });
      // The heap may have grown while Sigmoid allocated: take the view again.
      ys = b.typedArrayFromHeap(s);
      for (let i = 0; i < ys.length; i++) ys[i] = 2 * ys[i] - 1;
      return s;
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: Tanh, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
