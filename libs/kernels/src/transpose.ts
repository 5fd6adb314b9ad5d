import * as tf from '@tensorflow/tfjs-core';
import { Transpose, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { WASM } from './wasm-ops';

/**
 * `shape` and `perm` with the axes of size 1 dropped and the axes that stay neighbours in the same order
 * merged: [2, 3, 4] by [2, 0, 1] is [6, 4] by [1, 0].
 */
export function collapse(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Output axes in runs of consecutive input axes.
  const runs: number[][] = [];
  for (const axis of kept) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === axis - 1) last.push(axis);
    else runs.push([axis]);
  }
  const inputOrder = [...runs].sort((p, q) => p[0] - q[0]);
  return {
    shape: inputOrder.map((run) => run.reduce((size, axis) => size * shape[axis], 1)),
    perm: runs.map((run) => inputOrder.indexOf(run)),
  };
}

/**
 * Transpose for wasm, where it swaps the last two axes of 32-bit values once collapsed (a matrix, or a batch
 * of them: the transposed operands of a batched product before the built-in product): simd.wat's transpose2d,
 * 4x4 blocks of shuffles. The built-in moved a float at a time, 2.2 ns each. Every other permutation goes to
 * the built-in.
 */
export function makeTransposeConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const asked = (args.attrs as { perm: number[] }).perm;
    const { shape, perm } = collapse(x.shape, asked);
    const swap = perm.length === 2 || (perm.length === 3 && perm[0] === 0 && perm[1] === 2);
    if (!swap || (x.dtype !== 'float32' && x.dtype !== 'int32')) return builtin.kernelFunc(args);
    const b = args.backend as unknown as MemoryBackend;
    const [batch, rows, cols] = perm.length === 2 ? [1, ...shape] : shape;
    const out = b.makeOutput(asked.map((axis) => x.shape[axis]), x.dtype as 'float32');
    if (tf.util.sizeFromShape(x.shape) > 0) simd(b).transpose2d(offset(b, x), offset(b, out), batch, rows, cols);
    return out;
  };
  return { kernelName: Transpose, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
