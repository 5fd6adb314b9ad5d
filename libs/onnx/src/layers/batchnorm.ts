import { batchnormOptions, type BatchNormLayer } from '../../../graph';
import type { LayerEmitter } from './context';

/**
 * BatchNormalization in its inference form: y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta
 * over axis 1, the channels of [N, C, H, W] as the units of [N, D]. `momentum` is written for the record; inference
 * does not read it.
 */
export const emitBatchNorm: LayerEmitter<BatchNormLayer> = ({ graph, id, layer, input, outputShape, param }) => {
  const { momentum, epsilon } = batchnormOptions(layer);
  const inputs = (['gamma', 'beta', 'moving_mean', 'moving_variance'] as const).map((role) => {
    const { spec, data } = param(role)!;
    return graph.initializer(spec.name, spec.shape, data);
  });
  return graph.node({
    op: 'BatchNormalization',
    name: `${id}/BatchNormalization`,
    inputs: [input, ...inputs],
    attributes: { epsilon: { float: epsilon }, momentum: { float: momentum } },
    shape: outputShape,
  });
};
