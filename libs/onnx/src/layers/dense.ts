import type { DenseLayer } from '../../../graph';
import { weightInputs } from '../fold';
import { applyActivation } from './activation';
import type { LayerEmitter } from './context';

/**
 * y = x · kernelᵀ + bias as PyTorch's Linear is written: Gemm with B [out, in] and transB = 1, the form consumers
 * such as OpenCV's DNN module read. The trained [in, out] kernel is transposed; after a Flatten of feature maps
 * its rows are taken in the Flatten's (C, H, W) order; a batchnorm after it is folded in.
 */
export const emitDense: LayerEmitter<DenseLayer> = ({ graph, id, layer, input, outputShape, param, affine, flattened }) => {
  const kernel = param('kernel')!;
  const [ins, outs] = kernel.spec.shape;
  const weight = new Float32Array(ins * outs);
  for (let o = 0; o < outs; o++) for (let i = 0; i < ins; i++) weight[o * ins + i] = kernel.data[(flattened ? flattened[i] : i) * outs + o];
  const notes = ['[out, in]: the trained [in, out] kernel transposed'];
  if (flattened) notes.push("inputs in the (C, H, W) order of the Flatten before it (trained in TensorFlow.js's (H, W, C) order)");
  const { inputs, doc } = weightInputs(graph, { id, input, name: kernel.spec.name, dims: [outs, ins], weight, bias: param('bias')?.data, affine, notes, scaled: "each output's row" });
  const gemm = graph.node({
    op: 'Gemm',
    name: `${id}/Gemm`,
    inputs,
    attributes: { alpha: { float: 1 }, beta: { float: 1 }, transB: 1 },
    shape: outputShape,
    doc,
  });
  return applyActivation(graph, id, gemm, layer.activation, outputShape);
};
