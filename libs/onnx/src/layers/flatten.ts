import type { FlattenLayer } from '../../../graph';
import type { LayerEmitter } from './context';

/**
 * Flatten of NCHW, (C, H, W) order, as PyTorch writes it. TensorFlow.js flattened its NHWC maps in (H, W, C)
 * order, so the dense after this takes its kernel rows in this order instead (`flattened`, see planInference).
 * With no dense after it, the vector is the output: a Transpose to NHWC first then gives TensorFlow.js's order.
 * For one map or one pixel both orders coincide.
 */
export const emitFlatten: LayerEmitter<FlattenLayer> = ({ graph, id, input, inputShape, outputShape, transpose }) => {
  const [c, h, w] = inputShape;
  const x = transpose ? graph.node({ op: 'Transpose', name: `${id}/Transpose`, inputs: [input], attributes: { perm: [0, 2, 3, 1] }, shape: [h, w, c] }) : input;
  return graph.node({ op: 'Flatten', name: `${id}/Flatten`, inputs: [x], attributes: { axis: 1 }, shape: outputShape });
};
