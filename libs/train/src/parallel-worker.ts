/** A training thread: computes the gradient of its slice of each batch, and its batches of each validation pass (see parallel.ts). */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { size as shapeSize } from '../../graph';
import { useBackend } from './backend';
import type { BackendName } from '../../backend-choice';
import { readData } from '../../kernels';
import { makeAugment } from './augment';
import { oneHot } from './labels';
import { buildModel } from './model';
import { CTRL, ERROR_BYTES, layout, sliceGradients, sliceSeed, spinWhileEqual, STATUS, STOP, TASK, type EvaluateBuffers, type WorkerData, type WorkerSetup } from './parallel';
import { batchCount, evaluateBatches } from './validation';

const { backend, ctrl: ctrlBuffer, error } = workerData as WorkerData;
const ctrl = new Int32Array(ctrlBuffer);

function fail(e: unknown): void {
  const bytes = new TextEncoder().encode(((e as Error)?.message ?? String(e)).slice(0, ERROR_BYTES / 4));
  new Uint8Array(error).set(bytes);
  Atomics.store(ctrl, CTRL.error, bytes.length);
  Atomics.store(ctrl, CTRL.status, STATUS.failed);
  Atomics.notify(ctrl, CTRL.status);
  Atomics.notify(ctrl, CTRL.done);
}

async function main(): Promise<void> {
  await useBackend(backend as BackendName);
  // The model comes once the training starts: this worker may have been started while the data loaded.
  const { spec, training: t, classes, slice, buffers } = await new Promise<WorkerSetup>((resolve) => parentPort!.once('message', resolve));
  const model = buildModel(spec, t.seed);
  const augment = t.augment && makeAugment(t.augment, spec.input, t.seed);
  const input = shapeSize(spec.input);
  const all = layout(model.params, () => true);
  const trainable = layout(model.params, (p) => p.trainable);
  const state = layout(model.params, (p) => !p.trainable);
  const weights = new Float32Array(buffers.weights);
  const grads = new Float32Array(buffers.grads);
  const stateOut = new Float32Array(buffers.state);
  const result = new Float64Array(buffers.result);
  const images = new Float32Array(buffers.images);
  const labels = new Int32Array(buffers.labels);
  let evaluation: EvaluateBuffers | undefined;
  Atomics.store(ctrl, CTRL.status, STATUS.ready);
  Atomics.notify(ctrl, CTRL.status);

  let uploaded = 0;
  for (let seen = 0; ; ) {
    spinWhileEqual(ctrl, CTRL.seq, seen);
    Atomics.wait(ctrl, CTRL.seq, seen);
    // The latest task and its number in one read: a worker that woke late may find a step after the weights it
    // was woken for, and takes them both.
    seen = Atomics.load(ctrl, CTRL.seq);
    if (seen === STOP) return;
    const task = seen & 3;
    const number = seen >> 2;
    const version = Atomics.load(ctrl, CTRL.weights);
    if (version !== uploaded) {
      // New tensors, never writes into the old ones: XNNPACK keeps filters packed by tensor (see ownData in libs/kernels).
      tf.tidy(() => {
        for (const { param, offset, length } of all) model.variables.get(param.name)!.assign(tf.tensor(weights.subarray(offset, offset + length), param.shape));
      });
      uploaded = version;
      Atomics.store(ctrl, CTRL.uploaded, version);
      Atomics.notify(ctrl, CTRL.uploaded);
    }
    if (task === TASK.weights) continue;
    const n = Atomics.load(ctrl, CTRL.n);
    if (task === TASK.evaluate) {
      // The newest buffers sent: a pass that needs more room than the last sends new ones first.
      for (let m = receiveMessageOnPort(parentPort!); m; m = receiveMessageOnPort(parentPort!)) evaluation = m.message as EvaluateBuffers;
      const { losses, correct } = evaluateBatches(model.forward, new Float32Array(evaluation!.images), new Int32Array(evaluation!.labels), n, input, classes, 0, batchCount(n));
      new Float64Array(evaluation!.losses).set(losses);
      result[1] = correct;
      Atomics.store(ctrl, CTRL.done, number);
      Atomics.notify(ctrl, CTRL.done);
      continue;
    }
    const step = Atomics.load(ctrl, CTRL.step);
    // Its share of the batch's mean loss, so the slices' gradients add up to the batch's.
    const share = n / Atomics.load(ctrl, CTRL.batch);
    augment?.(images.subarray(0, n * input), Atomics.load(ctrl, CTRL.first), n, step);
    const x = tf.tensor2d(images.subarray(0, n * input), [n, input]);
    const y = oneHot(labels.subarray(0, n), classes);
    const mine = sliceGradients(model, x, y, labels.subarray(0, n), share, sliceSeed(t.seed * 1_000_003 + step, slice));
    for (const { param, offset } of trainable) grads.set(readData(mine.grads[param.name]), offset);
    model.applyStateUpdates();
    for (const { param, offset } of state) stateOut.set(readData(model.variables.get(param.name)!), offset);
    result[0] = mine.loss;
    result[1] = mine.correct;
    tf.dispose([x, y, ...Object.values(mine.grads)]);
    Atomics.store(ctrl, CTRL.done, number);
    Atomics.notify(ctrl, CTRL.done);
  }
}

// Whatever escapes (a wasm abort at load) must still reach the blocked main thread.
process.on('uncaughtException', fail);
main().catch(fail);
