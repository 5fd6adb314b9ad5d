import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { WASM } from './wasm-ops';

/** Data a built-in (XNNPACK) convolution or product has read: it keeps its operands packed by data until they are freed. */
const packedByBuiltin = new WeakSet<object>();

/** Marks the inputs of a built-in kernel call that may keep them packed: their data must never change in place. */
export function heldByBuiltin(inputs: TensorInfo[]): void {
  for (const t of inputs) packedByBuiltin.add(t.dataId);
}

/**
 * The wasm backend of a tensor whose data may be written in place: float32, on wasm, held by nothing else (a
 * reference count of 1), and never read by a built-in that packs its operands. tfjs tensors do not change in
 * place, and kernels lean on that: Reshape, Identity and Cast share data, and XNNPACK's convolutions and
 * products keep their filters packed (a weight written in place would go unseen by them). Undefined otherwise.
 */
export function ownData(t: tf.Tensor): MemoryBackend | undefined {
  if (t.isDisposed || t.dtype !== 'float32' || tf.getBackend() !== WASM || packedByBuiltin.has(t.dataId)) return undefined;
  const b = tf.backend() as unknown as MemoryBackend;
  return b.refCount(t.dataId) === 1 ? b : undefined;
}

/** A tensor's data as a view of wasm memory, not a copy (valid until the next allocation), where it is on wasm; a copy elsewhere. */
export function readData(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && tf.getBackend() === WASM) return (tf.backend() as unknown as MemoryBackend).typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

/** t += values (as many floats) in place, float32 additions as tf.add makes them; false where t's data is not its own on wasm. */
export function addInPlace(t: tf.Tensor, values: Float32Array): boolean {
  const b = ownData(t);
  if (b === undefined) return false;
  const scratch = b.makeOutput([values.length], 'float32');
  try {
    b.typedArrayFromHeap(scratch).set(values);
    // A pattern as long as t: one plain elementwise pass.
    simd(b).addPattern(offset(b, t), offset(b, scratch), values.length, offset(b, t), values.length);
  } finally {
    b.disposeData(scratch.dataId);
  }
  return true;
}
