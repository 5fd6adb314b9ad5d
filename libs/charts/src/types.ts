import type { History, Metrics, RunInfo } from '../../artifacts';

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

export const CHART_KINDS = ['loss', 'accuracy', 'confusion'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const CHART_FORMATS = ['svg', 'png'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

/** The pipeline's `charts` section; every field optional, defaults as in the schema. */
export interface ChartsConfig {
  /** Default: every kind. */
  include?: ChartKind[];
  /** Default: svg and png. */
  formats?: ChartFormat[];
  /** PNG pixels per SVG pixel, 0.5 to 4. Default 2. */
  scale?: number;
}
