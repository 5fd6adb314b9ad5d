import type { CenterCropTransform, Dataset, GrayscaleTransform, NoiseTransform, NormalizeTransform, PadTransform, ResizeTransform } from '../../pipeline-schema';

/** A transform as loadPipeline or withDefaults leave it: every field the schema gives a default is set. */
export type ResolvedTransform =
  | Required<PadTransform>
  | NormalizeTransform
  | Required<NoiseTransform>
  | Required<ResizeTransform>
  | GrayscaleTransform
  | CenterCropTransform;

/** The `dataset` block with the schema's defaults filled in. */
export type ResolvedDataset = Dataset & { validation: number; 'split-seed': number; transforms: ResolvedTransform[] };

/**
 * Narrows the type only: defaults come from the schema (loadPipeline, or withDefaults('Dataset', ...)
 * for a config built in code). A config that skipped both fails here rather than deep in a transform.
 */
export function resolved(config: Dataset): ResolvedDataset {
  if (config.validation === undefined || config['split-seed'] === undefined || config.transforms === undefined) {
    throw new Error("dataset: the schema's defaults are not filled in; load the pipeline with loadPipeline, or pass a config built in code through withDefaults('Dataset', ...) from libs/pipeline-schema");
  }
  return config as ResolvedDataset;
}
