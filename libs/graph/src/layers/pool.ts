import { layerDefaults } from '../../../pipeline-schema';
import type { LayerRules, PoolLayer, Shape } from '../types';
import { expectImage, pair, windowOut } from './common';

/** A pool layer's window, stride and padding with the schema's defaults for those left out. */
export function poolWindow(layer: PoolLayer): { size: [number, number]; stride: [number, number]; padding: 'valid' | 'same' } {
  const size = pair(layer.size, layerDefaults.pool.size);
  // The stride's default is the window (no overlap): not a constant, so not in the schema.
  return { size, stride: layer.stride === undefined ? size : pair(layer.stride, 1), padding: layer.padding ?? layerDefaults.pool.padding };
}

export function poolOutput(layer: PoolLayer, input: Shape): Shape {
  const [c, h, w] = expectImage(input, layer.type);
  const { size, stride, padding } = poolWindow(layer);
  const out = [c, windowOut(h, size[0], stride[0], padding), windowOut(w, size[1], stride[1], padding)];
  if (out[1] < 1 || out[2] < 1) throw new Error(`window ${size.join('x')} does not fit the ${h}x${w} input`);
  return out;
}

/** Average and max pooling: windows, no parameters. */
export const poolRules: LayerRules<PoolLayer> = { output: poolOutput, params: () => [] };
