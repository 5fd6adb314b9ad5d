import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { EvaluateError } from './errors';
import { argmax } from './metrics';
import { Classifier, size } from './session';

/**
 * The model with its penultimate features as a second graph output: the data input of the last node
 * that reads weights (the classifier's Gemm), which must be a vector per image.
 */
export function withFeatureOutput(model: Uint8Array, name: string): { bytes: Uint8Array; tensor: string; width: number } {
  const proto = onnx.ModelProto.decode(model);
  const graph = proto.graph!;
  const weights = new Set((graph.initializer ?? []).map((t) => t.name));
  const classifier = [...(graph.node ?? [])].reverse().find((n) => (n.input ?? []).some((t) => weights.has(t)));
  const tensor = classifier?.input?.find((t) => !weights.has(t));
  if (!classifier || !tensor) throw new EvaluateError(`${name}: no node reads weights, so the model has no layer whose input could be mapped`);
  const info = (graph.valueInfo ?? []).find((v) => v.name === tensor) ?? (graph.input ?? []).find((v) => v.name === tensor);
  const dims = info?.type?.tensorType?.shape?.dim ?? [];
  if (dims.length !== 2 || !dims[1].dimValue) {
    const shape = dims.map((d) => (d.dimValue ? String(d.dimValue) : (d.dimParam ?? '?'))).join(', ');
    throw new EvaluateError(`${name}: the last layer with weights (${classifier.name}) reads '${tensor}' of shape [${shape}], not a vector of features per image`);
  }
  graph.output = [...(graph.output ?? []), { name: tensor, type: info!.type }];
  return { bytes: onnx.ModelProto.encode(proto).finish(), tensor, width: Number(dims[1].dimValue) };
}

export interface TestFeatures {
  /** The tensor read: the input of the model's classifier. */
  tensor: string;
  /** Features per image. */
  width: number;
  /** [count][width], row-major. */
  features: Float32Array;
  /** The class index the model predicts for each image. */
  predicted: Uint8Array;
}

/** The penultimate-layer features of the first `count` test images, and the model's prediction for each, by onnxruntime-node. */
export async function testFeatures(opts: { modelPath: string; images: Float32Array; count: number; imageShape: readonly number[]; batchSize?: number }): Promise<TestFeatures> {
  const { modelPath, images, count, imageShape } = opts;
  const batchSize = opts.batchSize ?? 256;
  const pixels = size(imageShape);
  if (images.length < count * pixels) throw new EvaluateError(`features: ${count} images of [${imageShape.join(', ')}] asked for, the test split holds ${Math.floor(images.length / pixels)}`);
  const { bytes, tensor, width } = withFeatureOutput(readFileSync(modelPath), modelPath);
  const model = await Classifier.open({ bytes, name: modelPath }, imageShape, tensor);
  try {
    const features = new Float32Array(count * width);
    const predicted = new Uint8Array(count);
    await model.runBatches(images, count, batchSize, ({ data, classes, extra }, start, n) => {
      features.set(extra!, start * width);
      for (let i = 0; i < n; i++) predicted[start + i] = argmax(data, i * classes, classes);
    });
    return { tensor, width, features, predicted };
  } finally {
    await model.release();
  }
}
