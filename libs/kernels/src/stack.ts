import * as tf from '@tensorflow/tfjs-core';
import {
  AvgPool,
  AvgPoolGrad,
  backend_util,
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  Sum,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY_KERNELS } from './cross-entropy';
import { DENSE_KERNELS, denseAttrs, type DenseActivation } from './dense';
import { SCALED_TANH_KERNELS } from './scaled-tanh';
import type { MemoryBackend } from './simd';
import { reshapeView, WASM, type RefCountedBackend } from './wasm-ops';

/** A dense layer of the stack: act(x · w + bias). */
export interface StackLayer {
  w: tf.Tensor;
  bias: tf.Tensor;
  activation: DenseActivation;
}

type Pair = [number, number];

/** A convolution with its bias and a tanh, a · tanh(s · (conv(x, w) + bias)), then an average pool where there is one: LeNet-5's C1 and S2. */
export interface ConvStage {
  w: tf.Tensor;
  bias: tf.Tensor;
  scale: number;
  amplitude: number;
  strides: Pair;
  pad: 'valid' | 'same';
  pool?: { filterSize: Pair; strides: Pair; pad: 'valid' | 'same' };
}

/** A model as the stack takes it: convolution stages on images [H, W, C] (none for an MLP), flattened, then dense layers. */
export interface Stack {
  image?: [number, number, number];
  convs: ConvStage[];
  dense: StackLayer[];
}

export interface StackGradients {
  /** scale × the mean cross-entropy. */
  loss: number;
  /** The logits [N, C], copied out. */
  logits: Float32Array;
  /** Each stage's and layer's gradients, the convolution stages first, in order; the caller disposes them. */
  grads: { w: tf.Tensor; bias: tf.Tensor }[];
}

/**
 * The gradients of scale × the mean softmax cross-entropy for a model that is a stack (an MLP; LeNet-5: convolutions
 * with tanhs and average pools, flattened, then dense layers), its kernels called one after the other without
 * tfjs's tape: no dispatch, no tape entries, no copies of the saved tensors, which cost an MLP step a tenth to a
 * seventh of its time and LeNet-5's slice of 32 images a tenth. The kernels the tape runs over the layers' forward passes and crossEntropy(), on the same
 * inputs with the same attributes (per stage Conv2D, TrainyardScaledTanh with the bias, AvgPool; per dense layer
 * TrainyardDense; backward their gradients, Sum for a stage's bias, and no input gradient for the first layer's
 * input), so the same bits. Undefined, and nothing run, where a part does not fit (off wasm, small shapes).
 */
export function stackGradients(x: tf.Tensor, labels: tf.Tensor, stack: Stack, scale: number): StackGradients | undefined {
  const { convs, dense: layers } = stack;
  if (tf.getBackend() !== WASM || layers.length === 0 || labels.dtype !== 'float32' || (convs.length > 0 && getKernel(SCALED_TANH_KERNELS.forward, WASM) === undefined)) return undefined;
  const n = x.shape[0];
  // Every stage's attributes and shapes first, so that a stack that does not fit runs nothing.
  if (convs.length > 0 && (stack.image === undefined || x.shape.length !== 2 || tf.util.sizeFromShape(stack.image) !== x.shape[1])) return undefined;
  let shape: number[] = convs.length > 0 ? [n, ...stack.image!] : x.shape;
  const stages = convs.map((c) => {
    const conv = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] };
    const input = shape;
    const info = backend_util.computeConv2DInfo(input as [number, number, number, number], c.w.shape as [number, number, number, number], c.strides, 1, c.pad);
    const pool = c.pool && { filterSize: c.pool.filterSize, strides: c.pool.strides, pad: c.pool.pad };
    shape = pool ? backend_util.computePool2DInfo(info.outShape, pool.filterSize, pool.strides, 1, pool.pad).outShape : info.outShape;
    const backprop = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
    return { conv, backprop, input, output: shape, pool, tanh: { scale: c.scale, amplitude: c.amplitude } };
  });
  const flat = [n, tf.util.sizeFromShape(shape) / n];
  const attrs: NamedAttrMap[] = [];
  shape = convs.length > 0 ? flat : x.shape;
  for (const { w, bias, activation } of layers) {
    const a = denseAttrs({ shape, dtype: x.dtype }, w, bias, activation);
    if (a === undefined) return undefined;
    attrs.push(a);
    shape = [shape[0], w.shape[1]!];
  }
  if (labels.shape.length !== 2 || labels.shape[0] !== shape[0] || labels.shape[1] !== shape[1]) return undefined;
  const b = tf.backend() as unknown as MemoryBackend;
  const rb = b as unknown as RefCountedBackend;
  const made: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (made.push(t), t);
  const grads: { w: TensorInfo; bias: TensorInfo }[] = [];
  let done = false;
  try {
    // Forward through the stages: each convolution's input and each tanh's output, which the gradients read.
    let y: TensorInfo = convs.length > 0 ? keep(reshapeView(rb, x, stages[0].input)) : x;
    const convInputs: TensorInfo[] = [];
    const tanhs: TensorInfo[] = [];
    convs.forEach((c, i) => {
      const { conv, tanh, pool } = stages[i];
      convInputs.push(y);
      const z = keep(run(b, Conv2D, { x: y, filter: c.w }, conv)[0]);
      y = keep(run(b, SCALED_TANH_KERNELS.forward, { x: z, bias: c.bias }, tanh)[0]);
      tanhs.push(y);
      if (pool) y = keep(run(b, AvgPool, { x: y }, pool)[0]);
    });
    // Then the dense layers: each one's input, and what its activation's gradient reads (its output, or ReLU's input).
    const inputs: TensorInfo[] = [convs.length > 0 ? keep(reshapeView(rb, y, flat)) : y];
    const reads: TensorInfo[] = [];
    layers.forEach(({ w, bias }, i) => {
      const out = run(b, DENSE_KERNELS.forward, { x: inputs[i], w, bias }, attrs[i]);
      const [next, read] = out.length === 2 ? out : [out[0], out[0]];
      out.forEach(keep);
      inputs.push(next);
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
      grads[convs.length + i] = { w: dw, bias: dbias };
      // x's gradient, as dense's gradient takes it (tf.matMul(dz, w, false, true)); none for the model's input.
      if (i > 0 || convs.length > 0) dy = keep(run(b, BatchMatMul, { a: dz, b: layers[i].w }, { transposeA: false, transposeB: true })[0]);
    }
    if (convs.length > 0) dy = keep(reshapeView(rb, dy, stages[convs.length - 1].output));
    for (let i = convs.length - 1; i >= 0; i--) {
      const { backprop, input, pool, tanh } = stages[i];
      // The pool's and the tanh's gradients, then the bias's (an Add's: the sum down to the channels) and the filter's.
      if (pool) dy = keep(run(b, AvgPoolGrad, { dy, input: tanhs[i] }, { filterSize: pool.filterSize, strides: pool.strides, pad: pool.pad })[0]);
      const inner = keep(run(b, SCALED_TANH_KERNELS.backward, { y: tanhs[i], dy }, tanh)[0]);
      const bias = run(b, Sum, { x: inner }, { axis: [0, 1, 2], keepDims: false })[0];
      grads[i] = { w: run(b, Conv2DBackpropFilter, { x: convInputs[i], dy: inner }, { ...backprop, filterShape: convs[i].w.shape })[0], bias };
      if (i > 0) dy = keep(run(b, Conv2DBackpropInput, { dy: inner, filter: convs[i].w }, { ...backprop, inputShape: input })[0]);
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
