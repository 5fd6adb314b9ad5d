import { subsampleWindow, type SubsampleLayer } from '../../../graph';
import { applyActivation } from './activation';
import type { LayerEmitter } from './context';

/**
 * LeNet-5's S2/S4: AveragePool over windows side by side, Mul by coefficient * area (the average times the area is
 * the window's sum), Add the bias, then the activation. Per-map tensors are written [C, 1, 1] to broadcast over H, W.
 */
export const emitSubsample: LayerEmitter<SubsampleLayer> = ({ graph, id, layer, input, outputShape, param }) => {
  const [kh, kw] = subsampleWindow(layer);
  const [c] = outputShape;
  const pool = graph.node({
    op: 'AveragePool',
    name: `${id}/AveragePool`,
    inputs: [input],
    attributes: { kernel_shape: [kh, kw], strides: [kh, kw], pads: [0, 0, 0, 0] },
    shape: outputShape,
  });
  const coefficient = param('coefficient')!;
  const area = kh * kw;
  const scale = graph.initializer(
    coefficient.spec.name,
    [c, 1, 1],
    coefficient.data.map((v) => v * area),
    `the trained coefficient times ${area}: AveragePool divides each ${kh}x${kw} window's sum by ${area}`,
  );
  const bias = param('bias')!;
  const scaled = graph.node({ op: 'Mul', name: `${id}/Mul`, inputs: [pool, scale], shape: outputShape });
  const biased = graph.node({ op: 'Add', name: `${id}/Add`, inputs: [scaled, graph.initializer(bias.spec.name, [c, 1, 1], bias.data)], shape: outputShape });
  return applyActivation(graph, id, biased, layer.activation, outputShape);
};
