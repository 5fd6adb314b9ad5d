import { batchnormOptions, type BatchNormLayer } from '../../../graph';
import type { LayerEmitter } from './context';

/**
 * A batchnorm with no conv or dense right before it (after an activation, a pool, a flatten or on the input; one
 * right after a conv or dense is folded into that layer), in its inference form: y = gamma * (x - moving_mean) /
 * sqrt(moving_variance + epsilon) + beta over axis 1, the channels of [N, C, H, W] as the units of [N, D].
 * On a vector from a Flatten of feature maps, the per-unit tensors follow the Flatten's (C, H, W) order.
 * `momentum` is written for the record; inference does not read it.
 */
export const emitBatchNorm: LayerEmitter<BatchNormLayer> = ({ graph, id, layer, input, outputShape, param, flattened }) => {
  const { momentum, epsilon } = batchnormOptions(layer);
  const inputs = (['gamma', 'beta', 'moving_mean', 'moving_variance'] as const).map((role) => {
    const { spec, data } = param(role)!;
    return graph.initializer(spec.name, spec.shape, flattened ? Float32Array.from(flattened, (j) => data[j]) : data);
  });
  return graph.node({
    op: 'BatchNormalization',
    name: `${id}/BatchNormalization`,
    inputs: [input, ...inputs],
    attributes: { epsilon: { float: epsilon }, momentum: { float: momentum } },
    shape: outputShape,
  });
};
