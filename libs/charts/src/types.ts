import type { FeatureMap, History, Metrics, MisclassifiedFile, RunInfo } from '../../artifacts';
import type { Charts } from '../../pipeline-schema';

/** What a chart kind draws from: one training run's artifacts, read from its JSON files. */
export interface ChartRun {
  /** Shown in legends and titles when several runs are compared. */
  name: string;
  /**
   * Runs of one group differ only by their seed: charts colour them alike and report mean ± std over them.
   * Default: the run's name, a group of its own.
   */
  group?: string;
  history: History;
  /** Needed by the confusion and test-accuracy charts only. */
  metrics?: Metrics;
  /** Gives titles the model and pipeline names. */
  run?: RunInfo;
  /** The test images it got wrong, with their pixels (evaluate/misclassified.json): the misclassified chart only. */
  misclassified?: MisclassifiedFile;
  /** Its test images' features in 2-D (features/features.json), for the best run and the baseline: the features chart only. */
  features?: FeatureMap & { classes: string[] };
}

export type ChartKind = NonNullable<Charts['include']>[number];

// Keyed by every kind the schema allows, so a new kind does not compile until it has its place here.
const REPORT_ORDER: { [K in ChartKind]: K } = {
  sweep: 'sweep',
  loss: 'loss',
  accuracy: 'accuracy',
  'learning-rate': 'learning-rate',
  'test-accuracy': 'test-accuracy',
  confusion: 'confusion',
  misclassified: 'misclassified',
  features: 'features',
};

/** Every kind, in the order the report lists them. */
export const CHART_KINDS: readonly ChartKind[] = Object.values(REPORT_ORDER);
