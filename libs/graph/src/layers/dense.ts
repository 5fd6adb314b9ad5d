import { layerDefaults } from '../../../pipeline-schema';
import type { DenseLayer, LayerRules, ParamSpec, Shape } from '../types';
import { constantParam, kernelParam } from './common';

/** Whether a dense layer adds a bias (the schema's default when left out). */
export const denseBias = (layer: DenseLayer): boolean => layer.bias ?? layerDefaults.dense.bias;

export function denseOutput(layer: DenseLayer, input: Shape): Shape {
  if (input.length !== 1) throw new Error(`dense needs a vector input [D], got [${input.join(', ')}]: add a flatten layer before it`);
  return [layer.units];
}

export function denseParams(id: string, layer: DenseLayer, input: Shape): ParamSpec[] {
  const kernel = kernelParam(`${id}/kernel`, [input[0], layer.units], input[0], layer.units);
  if (!denseBias(layer)) return [kernel];
  return [kernel, constantParam(`${id}/bias`, 'bias', layer.units, 0)];
}

export const denseRules: LayerRules<DenseLayer> = { output: denseOutput, params: denseParams };
