import * as tf from '@tensorflow/tfjs-core';
import { pair, poolWindow, type ResolvedLayer } from '../../../graph';
import { activate } from './activation';
import { batchnorm } from './batchnorm';
import { subsample } from './subsample';

export interface ForwardContext {
  training: boolean;
  /** Per-step seed so dropout masks are reproducible. */
  seed: number;
  /** The variable of a ParamSpec (trainable or state). */
  param(name: string): tf.Tensor;
  /** The constant 0/1 mask of a kernel with a connection table, undefined for a dense kernel. */
  mask(name: string): tf.Tensor | undefined;
  /** Records the next value of a state tensor (training only); the model applies it after the optimizer step. */
  update(name: string, value: tf.Tensor): void;
}

/** One layer on a batch in NHWC (TensorFlow.js's layout); the graph's [C, H, W] shapes map to [N, H, W, C]. */
export function forwardLayer(x: tf.Tensor, { id, layer }: ResolvedLayer, index: number, ctx: ForwardContext): tf.Tensor {
  switch (layer.type) {
    case 'conv': {
      // A partial connection table zeroes the weights a filter does not read, here in the forward pass,
      // so they neither contribute nor receive a gradient.
      const mask = ctx.mask(`${id}/kernel`);
      const kernel = mask ? tf.mul(ctx.param(`${id}/kernel`), mask) : ctx.param(`${id}/kernel`);
      let y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, pair(layer.stride, 1), layer.padding ?? 'valid');
      if (layer.bias !== false) y = tf.add(y, ctx.param(`${id}/bias`));
      return activate(y, layer.activation);
    }
    case 'avgpool':
    case 'maxpool': {
      const { size, stride } = poolWindow(layer);
      const pool = layer.type === 'avgpool' ? tf.avgPool : tf.maxPool;
      return pool(x as tf.Tensor4D, size, stride, layer.padding ?? 'valid');
    }
    case 'subsample':
      return subsample(x, id, layer, ctx);
    case 'flatten':
      return tf.reshape(x, [x.shape[0], -1]);
    case 'dense': {
      let y: tf.Tensor = tf.matMul(x as tf.Tensor2D, ctx.param(`${id}/kernel`) as tf.Tensor2D);
      if (layer.bias !== false) y = tf.add(y, ctx.param(`${id}/bias`));
      return activate(y, layer.activation);
    }
    case 'batchnorm':
      return batchnorm(x, id, layer, ctx);
    case 'activation':
      return activate(x, layer.activation);
    case 'dropout':
      return ctx.training && layer.rate > 0 ? tf.dropout(x, layer.rate, undefined, ctx.seed * 7919 + index) : x;
  }
}
