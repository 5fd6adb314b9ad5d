import type { FlattenLayer } from '../../../graph';
import type { LayerEmitter } from './context';

/**
 * TensorFlow.js flattens NHWC feature maps in (H, W, C) order, and the dense kernel after it was trained on that order.
 * Transposing to NHWC before Flatten keeps the kernel as trained. When C = 1 or H = W = 1 both orders coincide,
 * so the Transpose is left out.
 */
export const emitFlatten: LayerEmitter<FlattenLayer> = ({ graph, id, input, inputShape, outputShape }) => {
  let x = input;
  if (inputShape.length === 3) {
    const [c, h, w] = inputShape;
    if (c > 1 && h * w > 1) {
      x = graph.node({ op: 'Transpose', name: `${id}/Transpose`, inputs: [x], attributes: { perm: [0, 2, 3, 1] }, shape: [h, w, c] });
    }
  }
  return graph.node({ op: 'Flatten', name: `${id}/Flatten`, inputs: [x], attributes: { axis: 1 }, shape: outputShape });
};
