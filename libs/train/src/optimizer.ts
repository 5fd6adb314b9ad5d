import * as tf from '@tensorflow/tfjs-core';
import type { Training } from '../../spec';

export interface StepOptimizer {
  /** Applies one update to `variables` from the loss `f` computes, and returns that loss. */
  step(f: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar;
  setLearningRate(lr: number): void;
  dispose(): void;
}

/** SGD (with momentum), Adam, and AdamW as Adam plus decoupled decay w <- w - lr * wd * w. */
export function makeOptimizer(t: Required<Training>): StepOptimizer {
  let lr = t['learning-rate'];
  const create = (): tf.Optimizer => {
    if (t.optimizer === 'sgd') return t.momentum > 0 ? tf.train.momentum(lr, t.momentum) : tf.train.sgd(lr);
    return tf.train.adam(lr, t.beta1, t.beta2, t.epsilon);
  };
  const optimizer = create();
  const decay = t.optimizer === 'adamw' ? t['weight-decay'] : 0;
  return {
    step(f, variables) {
      const { value, grads } = tf.variableGrads(f, variables);
      if (decay > 0) {
        // After the gradient, as AdamW (and PyTorch's) decays: the gradient is taken at the undecayed weights.
        tf.tidy(() => {
          for (const v of variables) if (v.rank > 1) v.assign(tf.mul(v, 1 - lr * decay));
        });
      }
      optimizer.applyGradients(grads);
      tf.dispose(grads);
      return value;
    },
    setLearningRate(next) {
      lr = next;
      (optimizer as unknown as { learningRate: number }).learningRate = next;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}
