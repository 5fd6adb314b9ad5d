import * as tf from '@tensorflow/tfjs-core';
import type { Layer, LayerOf, LayerType, ResolvedLayer } from '../../../graph';
import { activate } from './activation';
import { batchnorm } from './batchnorm';
import { conv } from './conv';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { pool } from './pool';
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

/** One layer type's forward pass on a batch in NHWC (TensorFlow.js's layout); the graph's [C, H, W] shapes map to [N, H, W, C]. */
export type LayerForward<L extends Layer> = (x: tf.Tensor, layer: { id: string; layer: L }, index: number, ctx: ForwardContext) => tf.Tensor;

/** Keyed by every layer type, so a type added to the schema does not compile until it has a forward pass. */
export const LAYER_FORWARD: { [T in LayerType]: LayerForward<LayerOf<T>> } = {
  conv,
  avgpool: pool,
  maxpool: pool,
  subsample: (x, { id, layer }, _, ctx) => subsample(x, id, layer, ctx),
  flatten,
  dense,
  batchnorm: (x, { id, layer }, _, ctx) => batchnorm(x, id, layer, ctx),
  activation: (x, { layer }) => activate(x, layer.activation),
  dropout,
};

/** One layer on a batch in NHWC. */
export function forwardLayer(x: tf.Tensor, resolved: ResolvedLayer, index: number, ctx: ForwardContext): tf.Tensor {
  // The registry is keyed by type, so the forward pass found matches the layer.
  return (LAYER_FORWARD[resolved.layer.type] as LayerForward<Layer>)(x, resolved, index, ctx);
}
