import { convOptions, kernelMask, samePadding, type ConvLayer, type ParamSpec } from '../../../graph';
import { weightInputs } from '../fold';
import { applyActivation } from './activation';
import type { LayerEmitter } from './context';

/** TensorFlow stores kernels [kh, kw, in, out] (HWIO); ONNX Conv wants [out, in, kh, kw] (OIHW). */
export function hwioToOihw(data: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o];
  return out;
}

/**
 * The kernel as it acts. With a partial connection table, the weights between a filter and an input map it does
 * not read are written as zeros: in training they were multiplied by zero (so they never acted nor learned), and a
 * zero weight is the same absent connection for any ONNX runtime.
 */
function effectiveKernel(spec: ParamSpec, data: Float32Array): Float32Array {
  const mask = kernelMask(spec);
  return mask ? data.map((v, i) => (mask[i] === 0 ? 0 : v)) : data;
}

export const emitConv: LayerEmitter<ConvLayer> = ({ graph, id, layer, input, inputShape, outputShape, param, affine }) => {
  const [, h, w] = inputShape;
  const { kernel: [kh, kw], stride: [sh, sw], padding } = convOptions(layer);
  // Explicit pads rather than auto_pad, so the file shows exactly where TensorFlow's odd pixel went (the end).
  const same = padding === 'same';
  const [top, bottom] = same ? samePadding(h, kh, sh) : [0, 0];
  const [left, right] = same ? samePadding(w, kw, sw) : [0, 0];

  const kernel = param('kernel')!;
  const [, , cin, cout] = kernel.spec.shape;
  const notes = ['OIHW: the trained [kh, kw, in, out] kernel transposed'];
  if (kernel.spec.connections) notes.push('zeros where the connection table leaves an input map out');
  // A batchnorm after it scales each output channel: the absent connections' zeros stay zeros.
  const { inputs, doc } = weightInputs(graph, {
    id,
    input,
    name: kernel.spec.name,
    dims: [cout, cin, kh, kw],
    weight: hwioToOihw(effectiveKernel(kernel.spec, kernel.data), kernel.spec.shape),
    bias: param('bias')?.data,
    affine,
    notes,
    scaled: 'each output channel',
  });

  const conv = graph.node({
    op: 'Conv',
    name: `${id}/Conv`,
    inputs,
    attributes: { kernel_shape: [kh, kw], strides: [sh, sw], pads: [top, left, bottom, right], dilations: [1, 1], group: 1 },
    shape: outputShape,
    doc,
  });
  return applyActivation(graph, id, conv, layer.activation, outputShape);
};
