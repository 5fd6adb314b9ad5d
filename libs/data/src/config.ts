import type { Dataset, Transform } from '../../spec/src/config';
import { withTransformDefaults } from './transforms/apply';

/** The `dataset` block with the schema's defaults filled in. */
export type ResolvedDataset = Dataset & { validation: number; 'split-seed': number; transforms: Transform[] };

/** Same defaults as schema.json, so that a config built in code behaves as the validated YAML would. */
export function withDatasetDefaults(config: Dataset): ResolvedDataset {
  return {
    ...config,
    validation: config.validation ?? 0.1,
    'split-seed': config['split-seed'] ?? 1,
    transforms: withTransformDefaults(config.transforms ?? []),
  };
}
