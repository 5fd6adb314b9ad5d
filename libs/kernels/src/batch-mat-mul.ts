import { BatchMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { Intermediates, transpose, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * BatchMatMul for wasm. Transposed operands are transposed explicitly first: the built-in is fast only on
 * untransposed ones (the dense gradients xᵀ·dy and dy·Wᵀ ran an order of magnitude slower than the forward
 * product), while a Transpose of a 64×1024 batch costs little. One product of at least four rows and four
 * columns (every dense layer's, rank 2) is simd.wat's conv of M pixels of K channels with a 1×1 filter: its fused
 * multiply-adds, which the built-in lacks. Batched products go to the built-in.
 */
export function makeBatchMatMulConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const b = backend as unknown as RefCountedBackend;
    const held = new Intermediates(b);
    const swapLast = (x: TensorInfo) => {
      const perm = [...x.shape.keys()];
      perm.push(...perm.splice(-2).reverse()); // [..., m, k] -> [..., k, m]
      return held.track(transpose(b, x, perm));
    };
    try {
      const a = transposeA ? swapLast(inputs.a as TensorInfo) : (inputs.a as TensorInfo);
      const bb = transposeB ? swapLast(inputs.b as TensorInfo) : (inputs.b as TensorInfo);
      const [m, k] = a.shape.slice(-2);
      const n = bb.shape[bb.shape.length - 1];
      // Dense layers' products come as rank 2 (tf.matMul passes its operands on as they are), others as a batch of one.
      const rank = a.shape.length;
      const single = bb.shape.length === rank && (rank === 2 || (rank === 3 && a.shape[0] === 1 && bb.shape[0] === 1));
      if (single && m >= 4 && n >= 4 && a.dtype === 'float32' && bb.dtype === 'float32') {
        const mb = backend as unknown as MemoryBackend;
        const y = mb.makeOutput(rank === 2 ? [m, n] : [1, m, n], 'float32');
        simd(mb).conv(offset(mb, a), offset(mb, bb), offset(mb, y), m, 1, 1, k, 1, 1, n, 1, 1);
        return y;
      }
      return builtin.kernelFunc({ inputs: { ...inputs, a, b: bb }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: BatchMatMul, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
