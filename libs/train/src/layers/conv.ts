import * as tf from '@tensorflow/tfjs-core';
import { convOptions, type ConvLayer } from '../../../graph';
import { activate } from './activation';
import type { LayerForward } from './forward';

export const conv: LayerForward<ConvLayer> = (x, { id, layer }, _, ctx) => {
  // A partial connection table zeroes the weights a filter does not read, here in the forward pass,
  // so they neither contribute nor receive a gradient.
  const mask = ctx.mask(`${id}/kernel`);
  const kernel = mask ? tf.mul(ctx.param(`${id}/kernel`), mask) : ctx.param(`${id}/kernel`);
  const { stride, padding, bias } = convOptions(layer);
  const y = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, stride, padding);
  return activate(y, layer.activation, bias ? ctx.param(`${id}/bias`) : undefined);
};
