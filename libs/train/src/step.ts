import * as tf from '@tensorflow/tfjs-core';
import { size as shapeSize, type ModelSpec } from '../../graph';
import type { ResolvedTraining } from '../../spec';
import { buildModel, type TrainableModel } from './model';
import { makeOptimizer } from './optimizer';

/** The hot path of training, shared by the trainer and the benchmark so the benchmark measures what runs. */
export interface TrainStep {
  model: TrainableModel;
  /** One optimizer update on a batch (images flattened NHWC); returns its mean cross-entropy (without the L2 penalty) and how many it got right. */
  run(images: Float32Array, labels: Int32Array, step: number): { loss: number; correct: number };
  setLearningRate(lr: number): void;
  dispose(): void;
}

export function makeTrainStep(spec: ModelSpec, t: ResolvedTraining, classes: number): TrainStep {
  const model = buildModel(spec, t.seed);
  const optimizer = makeOptimizer(t);
  const size = shapeSize(spec.input);
  const kernels = new Set(model.params.filter((p) => p.role === 'kernel').map((p) => model.variables.get(p.name)!));
  const variables = model.trainableVariables;
  return {
    model,
    run(images, labels, step) {
      const n = labels.length;
      const x = tf.tensor2d(images, [n, size]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes));
      let predicted: tf.Tensor | undefined;
      const value = optimizer.step(
        () => {
          const logits = model.forward(x, true, t.seed * 1_000_003 + step);
          predicted = tf.keep(tf.argMax(logits, 1));
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        },
        variables,
        kernels,
      );
      model.applyStateUpdates();
      const pred = predicted!.dataSync();
      let correct = 0;
      for (let i = 0; i < n; i++) if (pred[i] === labels[i]) correct++;
      tf.dispose([x, y, predicted!]);
      return { loss: value, correct };
    },
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}
