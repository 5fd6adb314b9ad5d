import type { ChartRun } from '../../charts';

/** One run in the report: the same artifacts the charts are drawn from; runs sharing a `group` are summarised together. */
export type ReportRun = ChartRun;

export interface ReportInput {
  /** Pipeline name, the report's heading. */
  pipeline: string;
  /** The pipeline's one-line `description`. */
  description?: string;
  /** Settings merged over every run from TRAINYARD_OVERRIDES: the report says the run was reduced. */
  overrides?: Record<string, unknown>;
  /** The profile (`quick`) the overrides come from, if any. */
  profile?: string;
  runs: ReportRun[];
  /** Folder `writeCharts` wrote to; the charts found there are linked. Omitted: no charts section. */
  chartsDir?: string;
}

/** A chart image the report embeds; `href` is relative to the report's folder. */
export interface ChartLink {
  title: string;
  href: string;
}
