import { layerDefaults } from '../../../pipeline-schema';
import type { LayerRules, ParamSpec, Shape, SubsampleLayer } from '../types';
import { constantParam, expectImage, pair, windowOut } from './common';

/** The window [h, w], which is also the stride: windows sit side by side. */
export function subsampleWindow(layer: SubsampleLayer): [number, number] {
  return pair(layer.size, layerDefaults.subsample.size);
}

export function subsampleOutput(layer: SubsampleLayer, input: Shape): Shape {
  const [c, h, w] = expectImage(input, 'subsample');
  const [kh, kw] = subsampleWindow(layer);
  const out = [c, windowOut(h, kh, kh, 'valid'), windowOut(w, kw, kw, 'valid')];
  if (out[1] < 1 || out[2] < 1) throw new Error(`window ${kh}x${kw} does not fit the ${h}x${w} input`);
  return out;
}

/** One coefficient and one bias per feature map; the coefficient starts at 1/(kh*kw), so the layer starts as an average. */
export function subsampleParams(id: string, layer: SubsampleLayer, input: Shape): ParamSpec[] {
  const [c] = expectImage(input, 'subsample');
  const [kh, kw] = subsampleWindow(layer);
  return [constantParam(`${id}/coefficient`, 'coefficient', c, 1 / (kh * kw)), constantParam(`${id}/bias`, 'bias', c, 0)];
}

export const subsampleRules: LayerRules<SubsampleLayer> = { output: subsampleOutput, params: subsampleParams };
