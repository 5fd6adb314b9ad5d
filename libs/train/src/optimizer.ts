import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTraining } from '../../pipeline-schema';
import { adamInPlace, adamStep } from '../../kernels';

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
 * SGD (momentum, Nesterov) on tf.train; Adam and AdamW here, one fused step per tensor (on wasm a single
 * SIMD pass over the weights and moments in place, adamInPlace; tf.train.adam's float32 operations
 * elsewhere). L2 adds l2 * w to every kernel's gradient (the gradient of l2/2 * |w|^2 in the loss); AdamW
 * decays kernels by lr * weight-decay * w after the gradient is taken, as PyTorch does.
 */
export function makeOptimizer(t: ResolvedTraining): StepOptimizer {
  return t.optimizer === 'sgd' ? sgd(t) : adam(t);
}

function adam(t: ResolvedTraining): StepOptimizer {
  let lr = t['learning-rate'];
  const decay = t.optimizer === 'adamw' ? t['weight-decay'] : 0;
  const moments = new Map<string, [tf.Tensor, tf.Tensor]>();
  // beta^t as tf.train.adam keeps it: a float32, multiplied by beta after each step.
  let beta1t = Math.fround(t.beta1);
  let beta2t = Math.fround(t.beta2);
  const update = (grads: tf.NamedTensorMap, kernels: Set<tf.Variable>) => {
    const shared = { lr, beta1: t.beta1, beta2: t.beta2, epsilon: t.epsilon, d1: Math.fround(1 - beta1t), d2: Math.fround(1 - beta2t) };
    for (const [name, g] of Object.entries(grads)) {
      const w = tf.engine().registeredVariables[name];
      const kernel = kernels.has(w);
      const [m, v] = moments.get(name) ?? [tf.zerosLike(w), tf.zerosLike(w)];
      const attrs = { ...shared, l2: kernel ? t.l2 : 0, keep: kernel && decay > 0 ? 1 - lr * decay : 1 };
      if (adamInPlace(w, g, m, v, attrs)) moments.set(name, [m, v]);
      else {
        const [w2, m2, v2] = adamStep(w, g, m, v, attrs);
        w.assign(w2);
        tf.dispose([w2, m, v]);
        moments.set(name, [m2, v2]);
      }
      g.dispose();
    }
    beta1t = Math.fround(beta1t * Math.fround(t.beta1));
    beta2t = Math.fround(beta2t * Math.fround(t.beta2));
  };
  return {
    step: (f, variables, kernels) => stepWith(update, f, variables, kernels),
    update,
    setLearningRate(next) {
      lr = next;
    },
    dispose() {
      for (const pair of moments.values()) tf.dispose(pair);
      moments.clear();
    },
  };
}

function sgd(t: ResolvedTraining): StepOptimizer {
  const optimizer = t.momentum > 0 ? tf.train.momentum(t['learning-rate'], t.momentum, t.nesterov) : tf.train.sgd(t['learning-rate']);
  const update = (grads: tf.NamedTensorMap, kernels: Set<tf.Variable>) => {
    if (t.l2 > 0) {
      // The gradient of l2/2 * |w|^2, added directly: cheaper than putting the penalty in the loss graph.
      for (const k of kernels) {
        const g = grads[k.name];
        grads[k.name] = tf.tidy(() => tf.add(g, tf.mul(k, t.l2)));
        g.dispose();
      }
    }
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose(Object.values(grads));
  };
  return {
    step: (f, variables, kernels) => stepWith(update, f, variables, kernels),
    update,
    // SGD and momentum keep -lr as a tensor that setLearningRate rebuilds.
    setLearningRate: (next) => optimizer.setLearningRate(next),
    dispose: () => optimizer.dispose(),
  };
}

function stepWith(update: StepOptimizer['update'], f: () => tf.Scalar, variables: tf.Variable[], kernels: Set<tf.Variable>): number {
  const { value, grads } = tf.variableGrads(f, variables);
  const loss = value.dataSync()[0];
  value.dispose();
  update(grads, kernels);
  return loss;
}
