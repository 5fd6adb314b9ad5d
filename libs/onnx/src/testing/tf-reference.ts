/** Test support: the forward pass the trainer computes (TensorFlow.js, cpu backend), to check exported files against. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Weights } from '../../../artifacts';
import type { ModelSpec } from '../../../graph';
import { buildModel } from '../../../train';

let ready: Promise<boolean> | undefined;

/** Logits [batch][classes] for `images`, a batch in the ONNX layout (NCHW for image models). */
export async function tfForward(model: ModelSpec, weights: Weights, images: Float32Array, batch: number): Promise<Float32Array> {
  ready ??= tf.setBackend('cpu');
  await ready;
  const built = buildModel(model, 0, weights);
  const out = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor(images, [batch, ...model.input]);
    if (model.input.length === 3) x = tf.transpose(x, [0, 2, 3, 1]); // NCHW -> NHWC, the trainer's layout
    return built.forward(x, false);
  });
  const data = (await out.data()) as Float32Array;
  out.dispose();
  built.dispose();
  return data;
}
