import * as tf from '@tensorflow/tfjs-core';
import { subsampleWindow, type SubsampleLayer } from '../../../graph';
import { activate } from './activation';
import type { ForwardContext } from './forward';

/**
 * LeNet-5's S2/S4: y = coefficient * (sum of each window) + bias, per feature map. The window sum is the average
 * times the window's area, folded into the coefficient: [N, H, W, C] -> [N, H/kh, W/kw, C].
 */
export function subsample(x: tf.Tensor, id: string, layer: SubsampleLayer, ctx: ForwardContext): tf.Tensor {
  const [kh, kw] = subsampleWindow(layer);
  const average = tf.avgPool(x as tf.Tensor4D, [kh, kw], [kh, kw], 'valid');
  const y = tf.add(tf.mul(average, tf.mul(ctx.param(`${id}/coefficient`), kh * kw)), ctx.param(`${id}/bias`));
  return activate(y, layer.activation);
}
