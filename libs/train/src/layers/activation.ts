import * as tf from '@tensorflow/tfjs-core';
import { SCALED_TANH, type ActivationName } from '../../../graph';
import { relu, scaledTanh } from '../../../kernels';

/** The activation of x + bias (a per-channel bias, when the layer has one): the tanhs take the bias in their own pass. */
export function activate(x: tf.Tensor, name: ActivationName | undefined, bias?: tf.Tensor): tf.Tensor {
  const activation = name ?? 'linear';
  if (activation === 'tanh') return scaledTanh(x, 1, 1, bias);
  if (activation === 'scaled-tanh') return scaledTanh(x, SCALED_TANH.S, SCALED_TANH.A, bias);
  const y = bias ? tf.add(x, bias) : x;
  switch (activation) {
    case 'relu':
      return relu(y);
    case 'sigmoid':
      return tf.sigmoid(y);
    case 'linear':
      return y;
  }
}
