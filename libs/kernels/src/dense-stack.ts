import * as tf from '@tensorflow/tfjs-core';
import { BatchMatMul, getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY_KERNELS } from './cross-entropy';
import { DENSE_KERNELS, denseAttrs, type DenseActivation } from './dense';
import type { MemoryBackend } from './simd';
import { WASM } from './wasm-ops';

/** A layer of the stack: act(x · w + bias). */
export interface StackLayer {
  w: tf.Tensor;
  bias: tf.Tensor;
  activation: DenseActivation;
}

export interface StackGradients {
  /** scale × the mean cross-entropy. */
  loss: number;
  /** The logits [N, C], copied out. */
  logits: Float32Array;
  /** Each layer's gradients, in the stack's order; the caller disposes them. */
  grads: { w: tf.Tensor; bias: tf.Tensor }[];
}

/**
 * The gradients of scale × the mean softmax cross-entropy for a model that is a stack of dense layers and nothing
 * else (an MLP), its kernels called one after the other without tfjs's tape: no dispatch, no tape entries, no
 * copies of the saved tensors, which cost an MLP step a tenth to a seventh of its time. The same kernels as the tape
 * runs over dense() and crossEntropy(), on the same inputs (TrainyardDense per layer, the cross-entropy and its
 * gradient, then from the last layer TrainyardDenseGrad and, but for the first, BatchMatMul for x's gradient), so
 * the same bits. Undefined, and nothing run, where a layer does not take the fused kernel (off wasm, small shapes).
 */
export function denseStackGradients(x: tf.Tensor, labels: tf.Tensor, layers: StackLayer[], scale: number): StackGradients | undefined {
  if (tf.getBackend() !== WASM || layers.length === 0 || labels.dtype !== 'float32') return undefined;
  const attrs: NamedAttrMap[] = [];
  let shape: number[] = x.shape;
  for (const { w, bias, activation } of layers) {
    const a = denseAttrs({ shape, dtype: x.dtype }, w, bias, activation);
    if (a === undefined) return undefined;
    attrs.push(a);
    shape = [shape[0], w.shape[1]!];
  }
  if (labels.shape.length !== 2 || labels.shape[0] !== shape[0] || labels.shape[1] !== shape[1]) return undefined;
  const b = tf.backend() as unknown as MemoryBackend;
  const made: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (made.push(t), t);
  const grads: { w: TensorInfo; bias: TensorInfo }[] = [];
  let done = false;
  try {
    // Forward: each layer's input, and what its activation's gradient reads (its output, or ReLU's input).
    const inputs: TensorInfo[] = [x];
    const reads: TensorInfo[] = [];
    layers.forEach(({ w, bias }, i) => {
      const out = run(b, DENSE_KERNELS.forward, { x: inputs[i], w, bias }, attrs[i]);
      const [y, read] = out.length === 2 ? out : [out[0], out[0]];
      out.forEach(keep);
      inputs.push(y);
      reads.push(read);
    });
    const logits = inputs[layers.length];
    const lossInfo = keep(run(b, CROSS_ENTROPY_KERNELS.forward, { logits, labels }, { scale })[0]);
    // The tape's seed: d loss / d loss = 1.
    const one = keep(b.makeOutput([], 'float32'));
    b.typedArrayFromHeap(one)[0] = 1;
    let dy = keep(run(b, CROSS_ENTROPY_KERNELS.backward, { logits, labels, dy: one }, { scale })[0]);
    for (let i = layers.length - 1; i >= 0; i--) {
      const [dz, dw, dbias] = run(b, DENSE_KERNELS.backward, { x: inputs[i], y: reads[i], dy }, attrs[i]);
      keep(dz);
      grads[i] = { w: dw, bias: dbias };
      // x's gradient, as dense's gradient takes it (tf.matMul(dz, w, false, true)); none for the first layer's input.
      if (i > 0) dy = keep(run(b, BatchMatMul, { a: dz, b: layers[i].w }, { transposeA: false, transposeB: true })[0]);
    }
    const engine = tf.engine();
    done = true;
    return {
      loss: b.typedArrayFromHeap(lossInfo)[0],
      logits: Float32Array.from(b.typedArrayFromHeap(logits)),
      grads: grads.map((g) => ({ w: engine.makeTensorFromTensorInfo(g.w), bias: engine.makeTensorFromTensorInfo(g.bias) })),
    };
  } finally {
    for (const t of made) b.disposeData(t.dataId);
    // The gradients go to the caller, but not from a failed pass.
    if (!done) for (const g of grads) if (g) [g.w, g.bias].forEach((t) => b.disposeData(t.dataId));
  }
}

/**
 * A wasm kernel called directly, its outputs as a list. Recorded in tf.profile's kernels while one is running, as
 * the engine records the calls it makes, so that a profiled step still shows them.
 */
function run(b: MemoryBackend, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo[] {
  const engine = tf.engine();
  const start = performance.now();
  const out = getKernel(name, WASM)!.kernelFunc({ inputs, backend: b as unknown as tf.KernelBackend, attrs });
  const outputs = Array.isArray(out) ? out : [out];
  if (engine.state.profiling) {
    engine.state.activeProfile.kernels.push({
      name,
      bytesAdded: 0,
      totalBytesSnapshot: engine.state.numBytes,
      tensorsAdded: 0,
      totalTensorsSnapshot: engine.state.numTensors,
      inputShapes: Object.values(inputs).map((t) => t!.shape),
      outputShapes: outputs.map((t) => t.shape),
      kernelTimeMs: performance.now() - start,
      extraInfo: '',
    });
  }
  return outputs;
}
