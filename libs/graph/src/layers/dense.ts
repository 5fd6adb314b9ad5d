import type { DenseLayer, ParamSpec, Shape } from '../types';

export function denseOutput(layer: DenseLayer, input: Shape): Shape {
  if (input.length !== 1) throw new Error(`dense needs a vector input [D], got [${input.join(', ')}]: add a flatten layer before it`);
  return [layer.units];
}

export function denseParams(id: string, layer: DenseLayer, input: Shape): ParamSpec[] {
  const kernel: ParamSpec = {
    name: `${id}/kernel`,
    role: 'kernel',
    shape: [input[0], layer.units],
    fanIn: input[0],
    fanOut: layer.units,
  };
  if (layer.bias === false) return [kernel];
  return [kernel, { name: `${id}/bias`, role: 'bias', shape: [layer.units], fanIn: 0, fanOut: 0 }];
}
