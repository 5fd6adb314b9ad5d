import type { Metrics, RunInfo } from './types';

/** The variant a pipeline calls `baseline`, the run the others are measured against. */
const isBaseline = (r: { run?: RunInfo }): boolean => r.run?.values?.variant === 'baseline';

/**
 * The run with the highest test accuracy (the first on ties), and the baseline where there is one and
 * it is not the best: the runs the report looks into.
 */
export function bestAndBaseline<R extends { metrics?: Metrics; run?: RunInfo }>(runs: R[]): { best: R; baseline?: R } {
  const best = runs.reduce((a, b) => ((b.metrics?.accuracy ?? 0) > (a.metrics?.accuracy ?? 0) ? b : a));
  return { best, baseline: runs.find((r) => isBaseline(r) && r !== best) };
}
