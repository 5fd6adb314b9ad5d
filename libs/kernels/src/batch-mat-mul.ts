import { BatchMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { Intermediates, transpose, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * BatchMatMul for wasm that transposes operands explicitly: the built-in is fast only on untransposed
 * operands (the dense gradients xᵀ·dy and dy·Wᵀ ran an order of magnitude slower than the forward
 * product), while a Transpose of a 64×1024 batch costs little.
 */
export function makeBatchMatMulConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return builtin.kernelFunc({ inputs, backend, attrs });
    const b = backend as unknown as RefCountedBackend;
    const held = new Intermediates(b);
    const swapLast = (x: TensorInfo) => {
      const perm = [...x.shape.keys()];
      perm.push(...perm.splice(-2).reverse()); // [..., m, k] -> [..., k, m]
      return held.track(transpose(b, x, perm));
    };
    try {
      const a = transposeA ? swapLast(inputs.a as TensorInfo) : inputs.a;
      const bb = transposeB ? swapLast(inputs.b as TensorInfo) : inputs.b;
      return builtin.kernelFunc({ inputs: { ...inputs, a, b: bb }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: BatchMatMul, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
