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
      if (decay > 0) {
        tf.tidy(() => {
          for (const v of variables) if (v.rank > 1) v.assign(tf.mul(v, 1 - lr * decay));
        });
      }
      return optimizer.minimize(f, true, variables) as tf.Scalar;
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
