import type { TopLevelSpec } from 'vega-lite';
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

/** One chart kind: a file in kinds/, entered in the registry (registry.ts). */
export interface ChartDefinition {
  /** Its caption in the report. */
  title: string;
  /** Whether the runs hold what it draws (epochs, a schedule, swept settings): one that does not apply is left out, not refused. */
  applies(runs: ChartRun[]): boolean;
  /** Its Vega-Lite spec; throws ChartsError when the runs lack what it needs. */
  spec(runs: ChartRun[]): TopLevelSpec;
}
