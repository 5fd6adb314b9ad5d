import * as tf from '@tensorflow/tfjs-core';
import type { FlattenLayer } from '../../../graph';
import type { LayerForward } from './forward';

export const flatten: LayerForward<FlattenLayer> = (x) => tf.reshape(x, [x.shape[0], -1]);
