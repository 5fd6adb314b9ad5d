import type { ChartRun } from './types';

/** Runs that differ only by seed, drawn and summarised together. */
export interface RunGroup {
  /** Shown in legends, on axes and in the report. */
  label: string;
  runs: ChartRun[];
}

/**
 * Runs by `group` (default: the run's name), groups in the order their first run comes.
 * When no group holds two runs there is nothing to pool, and each is labelled by its run's name:
 * a single run reads as its model ("LeNet-5"), not as the group of a pipeline without sweeps ("default").
 */
export function groupRuns(runs: ChartRun[]): RunGroup[] {
  const byKey = new Map<string, ChartRun[]>();
  for (const r of runs) {
    const key = r.group ?? r.name;
    const members = byKey.get(key);
    if (members) members.push(r);
    else byKey.set(key, [r]);
  }
  const repeated = [...byKey.values()].some((members) => members.length > 1);
  return [...byKey].map(([key, members]) => ({ label: repeated ? key : members[0].name, runs: members }));
}

/** Some group holds two runs or more: means and standard deviations are worth showing. */
export function hasRepeats(groups: RunGroup[]): boolean {
  return groups.some((g) => g.runs.length > 1);
}
