import { BatchMatMul, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heldByBuiltin } from './in-place';
import { offset, simd, type MemoryBackend } from './simd';
import { Intermediates, transpose, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * BatchMatMul for wasm. One product (every dense layer's: rank 2, or a batch of one) of at least three rows and
 * four columns is simd.wat's matmul, with fused multiply-adds, which the built-in lacks: b's columns packed in
 * panels of twelve first (packPanels, which reads b transposed as it is), a read transposed in place but where its
 * rows alias in L1 (productInto). Other products go to the built-in, with transposed operands transposed explicitly
 * first: the built-in is fast only on untransposed ones (the dense gradients xᵀ·dy and dy·Wᵀ ran an order of
 * magnitude slower than the forward product).
 */
export function makeBatchMatMulConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const a = inputs.a as TensorInfo;
    const bb = inputs.b as TensorInfo;
    const b = backend as unknown as RefCountedBackend;
    const held = new Intermediates(b);
    try {
      const rank = a.shape.length;
      const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
      const n = transposeB ? bb.shape[bb.shape.length - 2] : bb.shape[bb.shape.length - 1];
      // Dense layers' products come as rank 2 (tf.matMul passes its operands on as they are), others as a batch of one.
      const single = bb.shape.length === rank && (rank === 2 || (rank === 3 && a.shape[0] === 1 && bb.shape[0] === 1));
      if (single && m >= 3 && n >= 4 && k > 0 && a.dtype === 'float32' && bb.dtype === 'float32') {
        const mb = backend as unknown as MemoryBackend;
        const y = mb.makeOutput(rank === 2 ? [m, n] : [1, m, n], 'float32');
        productInto(mb, held, a, bb, y, m, k, n, transposeA, transposeB);
        return y;
      }
      const swapLast = (x: TensorInfo) => {
        const perm = [...x.shape.keys()];
        perm.push(...perm.splice(-2).reverse()); // [..., m, k] -> [..., k, m]
        return held.track(transpose(b, x, perm));
      };
      const a2 = transposeA ? swapLast(a) : a;
      const b2 = transposeB ? swapLast(bb) : bb;
      heldByBuiltin([a2, b2]);
      return builtin.kernelFunc({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      held.disposeAll();
    }
  };
  return { kernelName: BatchMatMul, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}

/**
 * y [m, n] = a · b (either read transposed, as given) by simd.wat's matmul, b's columns packed first: m >= 3, n >= 4.
 * A transposed a whose rows lie a multiple of 4 KiB apart (m a multiple of 1024: an MLP's weight gradient on 32x32
 * images) is copied untransposed first: read in place, each step's three values came from addresses that alias in
 * L1, and the product of the bench's MLP took 1.6x as long as the copy and the plain product (265 against 167 us,
 * side by side in one process, scratch; the same sums in the same order, the same bits).
 */
export function productInto(b: MemoryBackend, held: Intermediates, a: TensorInfo, bb: TensorInfo, y: TensorInfo, m: number, k: number, n: number, transposeA = false, transposeB = false): void {
  const panels = held.track(b.makeOutput([Math.ceil(n / 12) * k * 12], 'float32'));
  const kernels = simd(b);
  kernels.packPanels(offset(b, bb), offset(b, panels), k, n, transposeB ? 1 : 0, 12);
  const copy = transposeA && m % 1024 === 0;
  const rows = copy ? held.track(b.makeOutput([m, k], 'float32')) : a;
  if (copy) kernels.transpose2d(offset(b, a), offset(b, rows), 1, k, m);
  kernels.matmul(offset(b, rows), offset(b, panels), offset(b, y), m, k, n, transposeA && !copy ? 1 : 0);
}
