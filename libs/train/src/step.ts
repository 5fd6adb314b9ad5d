import * as tf from '@tensorflow/tfjs-core';
import { size as shapeSize, type ModelSpec } from '../../graph';
import type { ResolvedTraining } from '../../pipeline-schema';
import { addInPlace } from '../../kernels';
import { makeAugment } from './augment';
import { oneHot } from './labels';
import { buildModel, type TrainableModel } from './model';
import { makeOptimizer } from './optimizer';
import { layout, sliceGradients, sliceSeed, slices, startHelpers, threadsFor, type Helpers } from './parallel';
import type { Split } from './trainer';
import { batchCount, evaluateBatches, summarize } from './validation';

/** The hot path of training, shared by the trainer and the benchmark so the benchmark measures what runs. */
export interface TrainStep {
  model: TrainableModel;
  /**
   * One optimizer update on a batch (images flattened NHWC); returns its mean cross-entropy (without the L2 penalty)
   * and how many it got right. With `training.augment`, each thread first augments its slice of `images` in place,
   * seeded by `step`.
   */
  run(images: Float32Array, labels: Int32Array, step: number): { loss: number; correct: number };
  setLearningRate(lr: number): void;
  /** Mean cross-entropy and accuracy in inference mode at the current weights, the batches shared out over the threads. */
  evaluate(split: Split): { loss: number; accuracy: number };
  /** Threads a step runs on: this one and threads - 1 workers. */
  threads: number;
  dispose(): void;
}

/** `threads` > 1: data-parallel over worker threads (parallel.ts); 1 computes each batch whole, here. */
export function makeTrainStep(spec: ModelSpec, t: ResolvedTraining, classes: number, threads = 1): TrainStep {
  // Before the worker threads start: a setting that does not fit the input fails here.
  const augment = t.augment && makeAugment(t.augment, spec.input, t.seed);
  const model = buildModel(spec, t.seed);
  const optimizer = makeOptimizer(t);
  const size = shapeSize(spec.input);
  const kernels = new Set(model.params.filter((p) => p.role === 'kernel').map((p) => model.variables.get(p.name)!));
  const count = threadsFor(threads, t['batch-size']);
  const helpers: Helpers | undefined = count > 1 ? startHelpers(spec, t, classes, model, count) : undefined;
  const trainable = layout(model.params, (p) => p.trainable);
  const state = layout(model.params, (p) => !p.trainable);

  return {
    model,
    threads: count,
    run(images, labels, step) {
      const n = labels.length;
      // A last batch smaller than the thread count leaves the last workers out.
      const sizes = helpers ? slices(n, count).filter((k, i) => i === 0 || k > 0) : [n];
      const own = sizes[0];
      const y = oneHot(labels.subarray(0, own), classes);
      const seed = sliceSeed(t.seed * 1_000_003 + step, 0);
      let x!: tf.Tensor2D;
      let mine!: ReturnType<typeof sliceGradients>;
      const compute = () => {
        // Here, once the workers have their slices: each thread augments its own while the others do theirs.
        augment?.(images.subarray(0, own * size), 0, own, step);
        x = tf.tensor2d(images.subarray(0, own * size), [own, size]);
        mine = sliceGradients(model, x, y, labels.subarray(0, own), own / n, seed);
      };
      const others = helpers && sizes.length > 1 ? helpers.step(images, labels, sizes, step, compute) : (compute(), []);
      const grads = mine.grads;
      let { loss, correct } = mine;
      if (others.length) {
        // Summed in slice order, the same at every step: the result depends on the thread count only. On wasm into
        // this thread's gradients themselves; elsewhere with tf.add. The same float additions either way.
        for (const { param, offset, length } of trainable) {
          for (const o of others) {
            const g = grads[param.name];
            const part = o.grads.subarray(offset, offset + length);
            if (!addInPlace(g, part)) {
              grads[param.name] = tf.tidy(() => tf.add(g, tf.tensor(part, param.shape)));
              g.dispose();
            }
          }
        }
        for (const o of others) {
          loss += o.loss;
          correct += o.correct;
        }
      }
      optimizer.update(grads, kernels);
      model.applyStateUpdates();
      if (others.length && state.length) {
        // Each slice moved the state (batch norm's moving statistics) from the same value by its own batch
        // statistics; the update is linear in them, so the slices' results weighted by size are the batch's.
        tf.tidy(() => {
          for (const { param, offset, length } of state) {
            const v = model.variables.get(param.name)!;
            const mixed = Float32Array.from(v.dataSync() as Float32Array, (a) => (a * own) / n);
            others.forEach((o, k) => {
              const w = sizes[k + 1] / n;
              for (let i = 0; i < length; i++) mixed[i] += o.state[offset + i] * w;
            });
            v.assign(tf.tensor(mixed, param.shape));
          }
        });
      }
      // The workers take the new weights while this thread returns and prepares the next batch.
      helpers?.publish();
      tf.dispose([x, y]);
      return { loss, correct };
    },
    setLearningRate: (lr) => optimizer.setLearningRate(lr),
    evaluate(split) {
      const total = batchCount(split.count);
      // Whole batches per thread, the larger shares first: the same batches and sums as on one thread.
      const shares = helpers ? slices(total, count).filter((k, i) => i === 0 || k > 0) : [total];
      const own = () => evaluateBatches(model.forward, split.images, split.labels, split.count, size, classes, 0, shares[0]);
      return summarize(helpers && shares.length > 1 ? helpers.evaluate(split, shares, own) : [own()], split.count);
    },
    dispose() {
      helpers?.dispose();
      model.dispose();
      optimizer.dispose();
    },
  };
}
