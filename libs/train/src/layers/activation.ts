import * as tf from '@tensorflow/tfjs-core';
import { SCALED_TANH, type ActivationName } from '../../../graph';
import { relu, scaledTanh } from '../../../kernels';

/** a and s of a tanh activation, a · tanh(s · x); undefined for the others. */
export function tanhOf(name: ActivationName | undefined): { scale: number; amplitude: number } | undefined {
  if (name === 'tanh') return { scale: 1, amplitude: 1 };
  if (name === 'scaled-tanh') return { scale: SCALED_TANH.S, amplitude: SCALED_TANH.A };
  return undefined;
}

/** The activation of x + bias (a per-channel bias, when the layer has one): the tanhs take the bias in their own pass. */
export function activate(x: tf.Tensor, name: ActivationName | undefined, bias?: tf.Tensor): tf.Tensor {
  const activation = name ?? 'linear';
  const tanh = tanhOf(activation);
  if (tanh) return scaledTanh(x, tanh.scale, tanh.amplitude, bias);
  const y = bias ? tf.add(x, bias) : x;
  switch (activation) {
    case 'relu':
      return relu(y);
    case 'sigmoid':
      return tf.sigmoid(y);
    case 'linear':
    case 'tanh': // (the tanhs returned above)
    case 'scaled-tanh':
      return y;
  }
}
