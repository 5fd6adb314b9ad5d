import * as tf from '@tensorflow/tfjs-core';
import { poolWindow, type PoolLayer } from '../../../graph';
import type { LayerForward } from './forward';

export const pool: LayerForward<PoolLayer> = (x, { layer }) => {
  const { size, stride, padding } = poolWindow(layer);
  return (layer.type === 'avgpool' ? tf.avgPool : tf.maxPool)(x as tf.Tensor4D, size, stride, padding);
};
