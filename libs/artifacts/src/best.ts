import type { Metrics, RunInfo } from './types';

/** The variant a pipeline calls `baseline`, the run the others are measured against. */
const isBaseline = (r: { run?: RunInfo }): boolean => r.run?.values?.variant === 'baseline';

const highest = <R extends { metrics?: Metrics }>(runs: R[]): R => runs.reduce((a, b) => ((b.metrics?.accuracy ?? 0) > (a.metrics?.accuracy ?? 0) ? b : a));

/** What sets a run apart besides its variant: in a sweep of variants × settings, the baseline run to compare with has the same. */
const others = (r: { run?: RunInfo }) => JSON.stringify({ ...r.run?.values, variant: undefined });

/**
 * The run with the highest test accuracy (the first on ties), and the baseline where there is one and
 * it is not the best: the runs the report looks into. Of several baseline runs, the one with the best
 * run's other settings (swept values, seed), else the most accurate.
 */
export function bestAndBaseline<R extends { metrics?: Metrics; run?: RunInfo }>(runs: R[]): { best: R; baseline?: R } {
  const best = highest(runs);
  if (isBaseline(best)) return { best };
  const baselines = runs.filter(isBaseline);
  const matched = baselines.find((r) => others(r) === others(best));
  const baseline = matched ?? (baselines.length ? highest(baselines) : undefined);
  return baseline ? { best, baseline } : { best };
}
