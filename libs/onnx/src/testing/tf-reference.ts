/** Test support: the forward pass TensorFlow.js computes (NHWC, cpu backend), to check exported files against. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Weights } from '../../../artifacts';
import { describeModel, pair, poolWindow, type ActivationName, type ModelSpec } from '../../../graph';

let ready: Promise<boolean> | undefined;

function activate(x: tf.Tensor, activation: ActivationName | undefined): tf.Tensor {
  switch (activation ?? 'linear') {
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

/** Logits [batch][classes] for `images`, a batch in the ONNX layout (NCHW for image models). */
export async function tfForward(model: ModelSpec, weights: Weights, images: Float32Array, batch: number): Promise<Float32Array> {
  ready ??= tf.setBackend('cpu');
  await ready;
  const summary = describeModel(model);
  const param = (name: string) => tf.tensor(weights[name].data, weights[name].shape);
  const out = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor(images, [batch, ...summary.input]);
    if (summary.input.length === 3) x = tf.transpose(x, [0, 2, 3, 1]); // [B, H, W, C]
    for (const { id, layer, params } of summary.layers) {
      const hasBias = params.some((p) => p.role === 'bias');
      switch (layer.type) {
        case 'conv': {
          const y = tf.conv2d(x as tf.Tensor4D, param(`${id}/kernel`) as tf.Tensor4D, pair(layer.stride, 1), layer.padding ?? 'valid');
          x = activate(hasBias ? tf.add(y, param(`${id}/bias`)) : y, layer.activation);
          break;
        }
        case 'avgpool':
        case 'maxpool': {
          const { size, stride } = poolWindow(layer);
          const pool = layer.type === 'avgpool' ? tf.avgPool : tf.maxPool;
          x = pool(x as tf.Tensor4D, size, stride, layer.padding ?? 'valid');
          break;
        }
        case 'flatten':
          x = tf.reshape(x, [batch, -1]); // NHWC order, as tf.layers.flatten
          break;
        case 'dense': {
          const y = tf.matMul(x as tf.Tensor2D, param(`${id}/kernel`) as tf.Tensor2D);
          x = activate(hasBias ? tf.add(y, param(`${id}/bias`)) : y, layer.activation);
          break;
        }
        case 'activation':
          x = activate(x, layer.activation);
          break;
        case 'dropout':
          break;
      }
    }
    return x;
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}
