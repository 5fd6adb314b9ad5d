import type { History, Metrics, RunInfo } from '../../artifacts';
import type { Charts } from '../../spec';

/** What a chart kind draws from: one training run's artifacts, read from its JSON files. */
export interface ChartRun {
  /** Shown in legends and titles when several runs are compared. */
  name: string;
  history: History;
  /** Needed by the confusion chart only. */
  metrics?: Metrics;
  /** Gives titles the model and pipeline names. */
  run?: RunInfo;
}

export type ChartKind = NonNullable<Charts['include']>[number];

/** Every kind, in the order the report lists them. */
export const CHART_KINDS = ['loss', 'accuracy', 'confusion'] as const satisfies readonly ChartKind[];
