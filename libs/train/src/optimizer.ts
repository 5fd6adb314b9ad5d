import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTraining } from '../../spec';

export interface StepOptimizer {
  /**
   * One update of `variables` from the gradient of `f`. `kernels` (a subset of `variables`) take the
   * L2 penalty and the decoupled decay. Returns f's value (the loss without the penalty).
   */
  step(f: () => tf.Scalar, variables: tf.Variable[], kernels: Set<tf.Variable>): number;
  /** The same update from gradients already taken (by name; it disposes them): data-parallel training sums them first. */
  update(grads: tf.NamedTensorMap, kernels: Set<tf.Variable>): void;
  /** For schedules: the rate of the steps that follow (the decoupled decay scales with it too). */
  setLearningRate(lr: number): void;
  dispose(): void;
}

/**
 * SGD (momentum, Nesterov), Adam and AdamW on tf.train. L2 adds l2 * w to every kernel's gradient
 * (the gradient of l2/2 * |w|^2 in the loss); AdamW decays kernels by lr * weight-decay * w after the
 * gradient is taken. (A fused update written as one JavaScript pass over wasm memory measured no faster here than
 * tf.train's per-variable kernels, within the noise of this machine, so it is not worth its risks.)
 */
export function makeOptimizer(t: ResolvedTraining): StepOptimizer {
  let lr = t['learning-rate'];
  const optimizer: tf.Optimizer =
    t.optimizer === 'sgd'
      ? t.momentum > 0
        ? tf.train.momentum(lr, t.momentum, t.nesterov)
        : tf.train.sgd(lr)
      : tf.train.adam(lr, t.beta1, t.beta2, t.epsilon);
  const decay = t.optimizer === 'adamw' ? t['weight-decay'] : 0;
  const update = (grads: tf.NamedTensorMap, kernels: Set<tf.Variable>) => {
    if (t.l2 > 0) {
      // The gradient of l2/2 * |w|^2, added directly: cheaper than putting the penalty in the loss graph.
      for (const k of kernels) {
        const g = grads[k.name];
        grads[k.name] = tf.tidy(() => tf.add(g, tf.mul(k, t.l2)));
        g.dispose();
      }
    }
    if (decay > 0) {
      // After the gradient, as AdamW (and PyTorch's) decays: the gradient is taken at the undecayed weights.
      tf.tidy(() => {
        for (const k of kernels) k.assign(tf.mul(k, 1 - lr * decay));
      });
    }
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose(Object.values(grads));
  };
  return {
    step(f, variables, kernels) {
      const { value, grads } = tf.variableGrads(f, variables);
      const loss = value.dataSync()[0];
      value.dispose();
      update(grads, kernels);
      return loss;
    },
    update,
    setLearningRate(next) {
      lr = next;
      // SGD and momentum keep -lr as a tensor that setLearningRate rebuilds; Adam reads its field each step.
      // (Not instanceof: tf.Optimizer's Symbol.hasInstance matches any optimizer.)
      const sgd = optimizer as Partial<tf.SGDOptimizer>;
      if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(next);
      else (optimizer as unknown as { learningRate: number }).learningRate = next;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}
