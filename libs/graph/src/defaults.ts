import schema from '../../spec/schema.json';
import type { ActivationName } from './types';

const layers = schema.definitions;

/**
 * Defaults of layer options, read from the schema (the one place defaults live). A loaded pipeline has them
 * filled in already; these serve models built in code (tests, benchmarks) that leave the options out.
 */
export const layerDefaults = {
  conv: {
    stride: layers.ConvLayer.properties.stride.default,
    padding: layers.ConvLayer.properties.padding.default as 'valid' | 'same',
    bias: layers.ConvLayer.properties.bias.default,
  },
  pool: {
    size: layers.PoolLayer.properties.size.default,
    padding: layers.PoolLayer.properties.padding.default as 'valid' | 'same',
  },
  dense: { bias: layers.DenseLayer.properties.bias.default },
  subsample: { size: layers.SubsampleLayer.properties.size.default },
  batchnorm: {
    momentum: layers.BatchNormLayer.properties.momentum.default,
    epsilon: layers.BatchNormLayer.properties.epsilon.default,
  },
  mlp: {
    activation: layers.Mlp.properties.activation.default as ActivationName,
    outputs: layers.Mlp.properties.outputs.default,
  },
};
