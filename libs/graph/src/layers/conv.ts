import { layerDefaults } from '../../../pipeline-schema';
import type { ConvLayer, LayerRules, ParamSpec, Shape } from '../types';
import { constantParam, expectImage, kernelParam, pair, windowOut } from './common';
import { convConnections } from './connections';

/** A conv layer's kernel, stride, padding and bias with the schema's defaults for those left out: what every lib that runs one reads. */
export function convOptions(layer: ConvLayer): { kernel: [number, number]; stride: [number, number]; padding: 'valid' | 'same'; bias: boolean } {
  return {
    kernel: pair(layer.kernel, 1),
    stride: pair(layer.stride, layerDefaults.conv.stride),
    padding: layer.padding ?? layerDefaults.conv.padding,
    bias: layer.bias ?? layerDefaults.conv.bias,
  };
}

export function convOutput(layer: ConvLayer, input: Shape): Shape {
  const [, h, w] = expectImage(input, 'conv');
  const { kernel: [kh, kw], stride: [sh, sw], padding } = convOptions(layer);
  const out = [layer.filters, windowOut(h, kh, sh, padding), windowOut(w, kw, sw, padding)];
  if (out[1] < 1 || out[2] < 1) throw new Error(`kernel ${kh}x${kw} does not fit the ${h}x${w} input`);
  return out;
}

export function convParams(id: string, layer: ConvLayer, input: Shape): ParamSpec[] {
  const [c] = expectImage(input, 'conv');
  const { kernel: [kh, kw], bias } = convOptions(layer);
  const connections = convConnections(layer, c);
  let kernel: ParamSpec;
  if (connections) {
    // Glorot's fans over the connected maps only: a filter reads links/filters maps, a map feeds links/c filters.
    const links = connections.reduce((n, maps) => n + maps.length, 0);
    kernel = {
      ...kernelParam(`${id}/kernel`, [kh, kw, c, layer.filters], (kh * kw * links) / layer.filters, (kh * kw * links) / c, kh * kw * links),
      connections,
    };
  } else {
    kernel = kernelParam(`${id}/kernel`, [kh, kw, c, layer.filters], kh * kw * c, kh * kw * layer.filters);
  }
  if (!bias) return [kernel];
  return [kernel, constantParam(`${id}/bias`, 'bias', layer.filters, 0)];
}

export const convRules: LayerRules<ConvLayer> = { output: convOutput, params: convParams };
