import { layerDefaults } from '../../../pipeline-schema';
import type { BatchNormLayer, LayerRules, ParamSpec, Shape } from '../types';
import { constantParam } from './common';

export function batchnormOptions(layer: BatchNormLayer): { momentum: number; epsilon: number } {
  return { momentum: layer.momentum ?? layerDefaults.batchnorm.momentum, epsilon: layer.epsilon ?? layerDefaults.batchnorm.epsilon };
}

/** The channels normalised: feature maps of [C, H, W], units of [D]. */
function channels(input: Shape): number {
  if (input.length !== 1 && input.length !== 3) {
    throw new Error(`batchnorm needs feature maps [C, H, W] (after a conv) or a vector [D] (after a dense layer), got [${input.join(', ')}]`);
  }
  return input[0];
}

export function batchnormOutput(input: Shape): Shape {
  channels(input);
  return input;
}

/** gamma and beta are trained; the moving statistics are state, stored with the weights but not counted (PyTorch's buffers). */
export function batchnormParams(id: string, input: Shape): ParamSpec[] {
  const c = channels(input);
  return [
    constantParam(`${id}/gamma`, 'gamma', c, 1),
    constantParam(`${id}/beta`, 'beta', c, 0),
    constantParam(`${id}/moving_mean`, 'moving_mean', c, 0, false),
    constantParam(`${id}/moving_variance`, 'moving_variance', c, 1, false),
  ];
}

export const batchnormRules: LayerRules<BatchNormLayer> = { output: (_, input) => batchnormOutput(input), params: (id, _, input) => batchnormParams(id, input) };
