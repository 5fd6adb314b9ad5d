import type { Metrics, ProbeFile } from '../../artifacts';
import { EvaluateError } from './errors';
import { MetricsAccumulator } from './metrics';
import { compareParity, type ParityReport } from './parity';
import { Classifier, runtimeName, size } from './session';

export interface EvaluateOnnxOptions {
  /** The exported model (`export/model.onnx`). */
  modelPath: string;
  /** Test images, `count` of them, each [C, H, W] channels first (for C = 1 the same bytes as NHWC). */
  images: Float32Array;
  /** One class index per image. */
  labels: Uint8Array;
  count: number;
  /** Shape of one image, [C, H, W]: the model's input without the batch. */
  imageShape: readonly number[];
  /** Class names in label order; the model must output one logit per class. */
  classes: string[];
  /** Logits TensorFlow.js computed after training for some test images (`train/probe.json`). */
  probe: ProbeFile;
  /** Largest absolute logit difference parity accepts. */
  tolerance: number;
  /** Images per onnxruntime call. Default 256. */
  batchSize?: number;
  /** Called after each batch of test images. */
  onProgress?: (done: number, total: number) => void;
}

export type EvaluateResult = Metrics & { parity: ParityReport };

function checkInputs(opts: EvaluateOnnxOptions, batchSize: number): void {
  const { images, labels, count, imageShape, classes, probe } = opts;
  const pixels = size(imageShape);
  if (!Number.isInteger(count) || count < 0) throw new EvaluateError(`count must be a whole number >= 0 (got ${count})`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EvaluateError(`batchSize must be a whole number >= 1 (got ${batchSize})`);
  if (images.length < count * pixels) {
    throw new EvaluateError(`images hold ${images.length} floats, ${count} images of [${imageShape.join(', ')}] need ${count * pixels}`);
  }
  if (labels.length < count) throw new EvaluateError(`labels hold ${labels.length} entries for ${count} images`);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes.length) throw new EvaluateError(`label ${labels[i]} of test image ${i} is not a class index (${classes.length} classes)`);
  }
  if (probe.indices.length === 0) throw new EvaluateError('probe.json holds no probe images: parity cannot be checked');
  if (probe.indices.length !== probe.logits.length) {
    throw new EvaluateError(`probe.json holds ${probe.indices.length} indices but ${probe.logits.length} rows of logits`);
  }
  probe.indices.forEach((index, r) => {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new EvaluateError(`probe.json: index ${index} (probe ${r}) is outside the ${count} test images`);
    if (probe.logits[r].length !== classes.length) {
      throw new EvaluateError(`probe.json: probe ${r} holds ${probe.logits[r].length} logits, the dataset has ${classes.length} classes`);
    }
  });
}

/**
 * Runs the ONNX model over the test images with onnxruntime-node (CPU) and reports accuracy, mean cross-entropy,
 * confusion matrix and per-class precision/recall, plus parity against the logits TensorFlow.js wrote in the probe.
 * Parity failing is reported in `parity.ok`, not thrown: the caller calls assertParity.
 */
export async function evaluateOnnx(opts: EvaluateOnnxOptions): Promise<EvaluateResult> {
  const { modelPath, images, labels, count, imageShape, classes, probe, tolerance, onProgress } = opts;
  const batchSize = opts.batchSize ?? 256;
  checkInputs(opts, batchSize);
  const pixels = size(imageShape);
  const model = await Classifier.open(modelPath, imageShape);
  try {
    const logits = ({ data, classes: width }: { data: Float32Array; classes: number }): Float32Array => {
      if (width !== classes.length) throw new EvaluateError(`the model outputs ${width} logits per image, the dataset has ${classes.length} classes`);
      return data;
    };

    const metrics = new MetricsAccumulator(classes);
    await model.runBatches(images, count, batchSize, (result, start, n) => {
      metrics.add(logits(result), labels.subarray(start, start + n), n);
      onProgress?.(start + n, count);
    });

    const probeLogits = new Float32Array(probe.indices.length * classes.length);
    for (let start = 0; start < probe.indices.length; start += batchSize) {
      const rows = probe.indices.slice(start, start + batchSize);
      const batch = new Float32Array(rows.length * pixels);
      rows.forEach((index, r) => batch.set(images.subarray(index * pixels, (index + 1) * pixels), r * pixels));
      probeLogits.set(logits(await model.run(batch, rows.length)), start * classes.length);
    }

    return { runtime: runtimeName(), ...metrics.result(), parity: compareParity(probeLogits, probe, tolerance) };
  } finally {
    await model.release();
  }
}
