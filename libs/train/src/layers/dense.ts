import * as tf from '@tensorflow/tfjs-core';
import { denseBias, type DenseLayer } from '../../../graph';
import { activate } from './activation';
import type { LayerForward } from './forward';

export const dense: LayerForward<DenseLayer> = (x, { id, layer }, _, ctx) => {
  const y = tf.matMul(x as tf.Tensor2D, ctx.param(`${id}/kernel`) as tf.Tensor2D);
  return activate(y, layer.activation, denseBias(layer) ? ctx.param(`${id}/bias`) : undefined);
};
