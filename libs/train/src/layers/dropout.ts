import * as tf from '@tensorflow/tfjs-core';
import type { DropoutLayer } from '../../../graph';
import type { LayerForward } from './forward';

/** In training only, with a mask seeded per step and layer so a run repeats. */
export const dropout: LayerForward<DropoutLayer> = (x, { layer }, index, ctx) => (ctx.training && layer.rate > 0 ? tf.dropout(x, layer.rate, undefined, ctx.seed * 7919 + index) : x);
