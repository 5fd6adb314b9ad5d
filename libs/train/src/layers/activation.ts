import * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from '../../../graph';

export function activate(x: tf.Tensor, name: ActivationName | undefined): tf.Tensor {
  switch (name ?? 'linear') {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
  }
}
