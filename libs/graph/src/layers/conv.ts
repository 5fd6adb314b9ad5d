import type { ConvLayer, ParamSpec, Shape } from '../types';
import { expectImage, pair, windowOut } from './common';

export function convOutput(layer: ConvLayer, input: Shape): Shape {
  const [, h, w] = expectImage(input, 'conv');
  const [kh, kw] = pair(layer.kernel, 1);
  const [sh, sw] = pair(layer.stride, 1);
  const padding = layer.padding ?? 'valid';
  const out = [layer.filters, windowOut(h, kh, sh, padding), windowOut(w, kw, sw, padding)];
  if (out[1] < 1 || out[2] < 1) throw new Error(`kernel ${kh}x${kw} does not fit the ${h}x${w} input`);
  return out;
}

export function convParams(id: string, layer: ConvLayer, input: Shape): ParamSpec[] {
  const [c] = expectImage(input, 'conv');
  const [kh, kw] = pair(layer.kernel, 1);
  const kernel: ParamSpec = {
    name: `${id}/kernel`,
    role: 'kernel',
    shape: [kh, kw, c, layer.filters],
    fanIn: kh * kw * c,
    fanOut: kh * kw * layer.filters,
  };
  if (layer.bias === false) return [kernel];
  return [kernel, { name: `${id}/bias`, role: 'bias', shape: [layer.filters], fanIn: 0, fanOut: 0 }];
}
