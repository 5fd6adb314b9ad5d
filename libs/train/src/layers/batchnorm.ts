import * as tf from '@tensorflow/tfjs-core';
import { batchnormOptions, type BatchNormLayer } from '../../../graph';
import { batchNormalize, batchNormTraining } from '../../../kernels';
import type { ForwardContext } from './forward';

/**
 * Batch normalization on [N, H, W, C] (per feature map, statistics over N, H, W) or [N, D] (per unit, over N).
 * Training normalises with the batch's mean and biased variance and records the moving statistics' next values
 * (moving = momentum * moving + (1 - momentum) * batch, the variance unbiased as PyTorch's); inference uses the
 * moving statistics, as the ONNX BatchNormalization does.
 */
export function batchnorm(x: tf.Tensor, id: string, layer: BatchNormLayer, ctx: ForwardContext): tf.Tensor {
  const { momentum, epsilon } = batchnormOptions(layer);
  const gamma = ctx.param(`${id}/gamma`);
  const beta = ctx.param(`${id}/beta`);
  const movingMean = ctx.param(`${id}/moving_mean`);
  const movingVariance = ctx.param(`${id}/moving_variance`);
  if (!ctx.training) return batchNormalize(x, movingMean, movingVariance, gamma, beta, epsilon);

  const { y, mean, variance } = batchNormTraining(x, gamma, beta, epsilon); // [C], biased variance
  const n = x.size / mean.size; // values per channel in the batch
  const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
  ctx.update(`${id}/moving_mean`, tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
  ctx.update(`${id}/moving_variance`, tf.add(tf.mul(movingVariance, momentum), tf.mul(unbiased, 1 - momentum)));
  return y;
}
