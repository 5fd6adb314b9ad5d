import * as tf from '@tensorflow/tfjs-core';
import { pair, poolWindow, type ResolvedLayer } from '../../../graph';
import { activate } from './activation';

export interface ForwardContext {
  training: boolean;
  /** Per-step seed so dropout masks are reproducible. */
  seed: number;
  param(name: string): tf.Tensor;
}

/** One layer on a batch in NHWC (TensorFlow.js's layout); the graph's [C, H, W] shapes map to [N, H, W, C]. */
export function forwardLayer(x: tf.Tensor, { id, layer }: ResolvedLayer, index: number, ctx: ForwardContext): tf.Tensor {
  switch (layer.type) {
    case 'conv': {
      let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, ctx.param(`${id}/kernel`) as tf.Tensor4D, pair(layer.stride, 1), layer.padding ?? 'valid');
      if (layer.bias !== false) y = tf.add(y, ctx.param(`${id}/bias`));
      return activate(y, layer.activation);
    }
    case 'avgpool':
    case 'maxpool': {
      const { size, stride } = poolWindow(layer);
      const pool = layer.type === 'avgpool' ? tf.avgPool : tf.maxPool;
      return pool(x as tf.Tensor4D, size, stride, layer.padding ?? 'valid');
    }
    case 'flatten':
      return tf.reshape(x, [x.shape[0], -1]);
    case 'dense': {
      let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, ctx.param(`${id}/kernel`) as tf.Tensor2D);
      if (layer.bias !== false) y = tf.add(y, ctx.param(`${id}/bias`));
      return activate(y, layer.activation);
    }
    case 'activation':
      return activate(x, layer.activation);
    case 'dropout':
      return ctx.training && layer.rate > 0 ? tf.dropout(x, layer.rate, undefined, ctx.seed * 7919 + index) : x;
  }
}
