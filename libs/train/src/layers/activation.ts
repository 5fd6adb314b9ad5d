import * as tf from '@tensorflow/tfjs-core';
import { SCALED_TANH, type ActivationName } from '../../../graph';
import { scaledTanh } from '../../../kernels';

export function activate(x: tf.Tensor, name: ActivationName | undefined): tf.Tensor {
  switch (name ?? 'linear') {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return scaledTanh(x, 1, 1);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'scaled-tanh':
      return scaledTanh(x, SCALED_TANH.S, SCALED_TANH.A);
    case 'linear':
      return x;
  }
}
