import * as tf from '@tensorflow/tfjs-core';
import type { Training } from '../../spec';

export interface StepOptimizer {
  /**
   * One update of `variables` from the gradient of `f`. `kernels` (a subset of `variables`) take the
   * L2 penalty and the decoupled decay. Returns f's value (the loss without the penalty).
   */
  step(f: () => tf.Scalar, variables: tf.Variable[], kernels: Set<tf.Variable>): number;
  dispose(): void;
}

/**
 * SGD (momentum, Nesterov), Adam and AdamW on tf.train. L2 adds l2/2 * |w|^2 of every kernel to the
 * loss (so l2 * w to its gradient); AdamW decays kernels by lr * weight-decay * w after the gradient is
 * taken. (A fused update written as one JavaScript pass over wasm memory measured no faster here than
 * tf.train's per-variable kernels, within the noise of this machine, so it is not worth its risks.)
 */
export function makeOptimizer(t: Required<Training>): StepOptimizer {
  const lr = t['learning-rate'];
  const optimizer =
    t.optimizer === 'sgd'
      ? t.momentum > 0
        ? tf.train.momentum(lr, t.momentum, t.nesterov)
        : tf.train.sgd(lr)
      : tf.train.adam(lr, t.beta1, t.beta2, t.epsilon);
  const decay = t.optimizer === 'adamw' ? t['weight-decay'] : 0;
  return {
    step(f, variables, kernels) {
      const list = [...kernels];
      let data: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        data = tf.keep(f());
        if (t.l2 === 0) return data;
        return tf.add(data, tf.mul(t.l2 / 2, tf.addN(list.map((k) => tf.sum(tf.square(k)))))) as tf.Scalar;
      }, variables);
      const loss = data!.dataSync()[0];
      if (decay > 0) {
        // After the gradient, as AdamW (and PyTorch's) decays: the gradient is taken at the undecayed weights.
        tf.tidy(() => {
          for (const k of kernels) k.assign(tf.mul(k, 1 - lr * decay));
        });
      }
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose([value, data!, ...Object.values(grads)]);
      return loss;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}
