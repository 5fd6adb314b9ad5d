import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { LoadedPipeline } from '../../spec';

export type StageKind = 'data' | 'train' | 'export' | 'evaluate' | 'charts';

export interface Stage {
  /** Unique in the pipeline; the Nx target is `<pipeline>.<id>` and its outputs `artifacts/<pipeline>/<id>/`. */
  id: string;
  kind: StageKind;
  /** Ids of the stages whose outputs this one reads. */
  needs: string[];
  /** The slice of the pipeline's config this stage reads, defaults filled in. */
  reads: Record<string, unknown>;
  /** Hash of `reads`: changes exactly when what the stage reads changes. */
  fingerprint: string;
  /** Shown by `nx show project`; fixed per stage kind, since Nx hashes it into every task (see the Nx plugin). */
  description: string;
}

export interface Plan {
  pipeline: string;
  file: string;
  description?: string;
  stages: Stage[];
}

/** Bumped when a stage's output format changes, so old cached outputs are not reused. */
const FORMAT = 1;

export function fingerprint(kind: StageKind, reads: Record<string, unknown>): string {
  return createHash('sha256')
    .update(stringify({ format: FORMAT, kind, reads }) ?? '')
    .digest('hex')
    .slice(0, 20);
}

/** The stages of a pipeline, in an order where every stage comes after the ones it needs. */
export function planPipeline({ name, file, config }: LoadedPipeline): Plan {
  const model = config.model.name ?? name;
  const stage = (id: StageKind, needs: StageKind[], reads: Record<string, unknown>, description: string): Stage => ({
    id,
    kind: id,
    needs,
    reads,
    fingerprint: fingerprint(id, reads),
    description,
  });
  const data = stage('data', [], { dataset: config.dataset }, 'Read and check the dataset, split it and describe the transformed data');
  const train = stage('train', ['data'], { dataset: config.dataset, model: config.model, training: config.training }, 'Train the model with TensorFlow.js');
  const stages = [
    data,
    train,
    // The train fingerprint is written into the ONNX metadata, so it is part of what export reads.
    stage('export', ['data', 'train'], { pipeline: name, model: config.model, export: config.export, train: train.fingerprint }, 'Write the trained model as an ONNX file'),
    stage('evaluate', ['data', 'train', 'export'], { dataset: config.dataset, evaluate: config.evaluate }, 'Run the ONNX file with onnxruntime on the test split; check parity with TensorFlow.js'),
    stage('charts', ['train', 'evaluate'], { pipeline: name, description: config.description ?? null, model, charts: config.charts }, 'Render loss, accuracy and confusion charts and the report'),
  ];
  return { pipeline: name, file, description: config.description, stages };
}
