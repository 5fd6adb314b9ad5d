import * as tf from '@tensorflow/tfjs-core';
import { SCALED_TANH, type ActivationName } from '../../../graph';

export function activate(x: tf.Tensor, name: ActivationName | undefined): tf.Tensor {
  switch (name ?? 'linear') {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'scaled-tanh':
      return tf.mul(tf.tanh(tf.mul(x, SCALED_TANH.S)), SCALED_TANH.A);
    case 'linear':
      return x;
  }
}
