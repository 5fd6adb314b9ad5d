import * as tf from '@tensorflow/tfjs-core';
import { describeModel, type ModelSpec, type ModelSummary, type ParamSpec } from '../../graph';
import type { Weights } from '../../artifacts';
import { forwardLayer } from './layers/forward';

export interface TrainableModel {
  summary: ModelSummary;
  params: ParamSpec[];
  variables: Map<string, tf.Variable>;
  /** Logits [N, classes] for a batch [N, H, W, C]. */
  forward(x: tf.Tensor, training: boolean, seed?: number): tf.Tensor2D;
  weights(): Weights;
  dispose(): void;
}

/** Glorot-uniform kernels and zero biases, as Keras and most papers' reproductions start. */
function initialValue(p: ParamSpec, seed: number): tf.Tensor {
  if (p.role === 'bias') return tf.zeros(p.shape);
  const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
  return tf.randomUniform(p.shape, -limit, limit, 'float32', seed);
}

/** The model's variables, initialised from `seed`, or set to `weights` when given (a trained model, a reference). */
export function buildModel(spec: ModelSpec, seed: number, weights?: Weights): TrainableModel {
  const summary = describeModel(spec);
  const params = summary.layers.flatMap((l) => l.params);
  const variables = new Map<string, tf.Variable>();
  params.forEach((p, i) => {
    const given = weights?.[p.name];
    if (weights && !given) throw new Error(`weights: '${p.name}' is missing`);
    const init = given ? tf.tensor(given.data, p.shape) : initialValue(p, seed * 1000 + i);
    variables.set(p.name, tf.variable(init, true, p.name));
    init.dispose();
  });
  const param = (name: string) => variables.get(name)!;
  const [c, h, w] = spec.input.length === 3 ? spec.input : [1, 1, spec.input[0]];
  return {
    summary,
    params,
    variables,
    forward(x, training, stepSeed = 0) {
      const ctx = { training, seed: stepSeed, param };
      let y = spec.input.length === 3 ? tf.reshape(x, [-1, h, w, c]) : tf.reshape(x, [-1, spec.input[0]]);
      summary.layers.forEach((layer, i) => {
        y = forwardLayer(y, layer, i, ctx);
      });
      return y as tf.Tensor2D;
    },
    weights() {
      const out: Weights = {};
      for (const p of params) out[p.name] = { shape: p.shape, data: variables.get(p.name)!.dataSync() as Float32Array };
      return out;
    },
    dispose() {
      variables.forEach((v) => v.dispose());
    },
  };
}
