import { loss, NONE, percent, settingValue } from './format';
import { table, textTable } from './report';
import { resultRows, type ResultRow } from './results';
import type { ReportRun } from './types';

/** A setting of one run that differs between the two sides (a key of its resolved config, dotted). */
export interface ParamChange {
  run: string;
  param: string;
  old: unknown;
  new: unknown;
}

/** A result of one run on both sides, with the change (new − old) where both are numbers. */
export interface MetricChange {
  run: string;
  metric: 'test accuracy' | 'test loss' | 'val accuracy';
  /** Null where the run is not cached on that side (see `cached`) or has no such value. */
  old: number | null;
  new: number | null;
  change: number | null;
  /** Whether each side's results of the run came from the cache: a run not cached there has no metrics. */
  cached: { old: boolean; new: boolean };
}

export interface ResultsDiff {
  /** What each side is: a git ref and its commit, or the working tree. */
  old: string;
  new: string;
  params: ParamChange[];
  metrics: MetricChange[];
  /** Runs that one side's pipeline file plans and the other's does not (a sweep that grew or shrank). */
  added: string[];
  removed: string[];
  /** Runs each side plans whose results are not cached there (or failed to run): their metrics are null. */
  uncached: { old: string[]; new: string[] };
}

/** One side of a diff: every run its pipeline file plans, and the results of those that are cached. */
export interface DiffSide {
  /** Each planned run's id and its resolved configuration: what its settings are compared from. */
  planned: { id: string; config: Record<string, unknown> }[];
  /** The results of the planned runs that came from the cache (or ran); the others are not cached. */
  runs: ReportRun[];
}

/** A config as dotted keys and leaf values; lists of plain values (a layer's kernel [5, 5]) stay whole. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    // Layers and transforms: by their id or type where they have one, so an inserted layer reads as such.
    value.forEach((v, i) => flatten(v, `${prefix}.${(v as { id?: string; type?: string })?.id ?? (v as { type?: string })?.type ?? i}`, out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The settings and results of two sides of one pipeline, run by run (matched by run id). Runs and their
 * settings come from what each side's file plans, so a run that is not cached still has its settings
 * compared, and is never taken for a run of one side only; test accuracy, test loss and validation
 * accuracy come from the cached results, with their change where both sides have them.
 */
export function diffResults(then: DiffSide, now: DiffSide, sides: { old: string; new: string }): ResultsDiff {
  const planned = (side: DiffSide) => new Map(side.planned.map((r) => [r.id, r.config]));
  const [before, after] = [planned(then), planned(now)];
  const rows = (side: DiffSide) => new Map(resultRows(side.runs).map((row) => [row.run, row]));
  const [oldRows, newRows] = [rows(then), rows(now)];
  const params: ParamChange[] = [];
  const metrics: MetricChange[] = [];
  for (const [id, config] of after) {
    if (!before.has(id)) continue;
    const [a, b] = [flatten(before.get(id)), flatten(config)];
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      if (!same(a[key], b[key])) params.push({ run: id, param: key, old: a[key], new: b[key] });
    }
    const [o, n] = [oldRows.get(id), newRows.get(id)];
    const metric = (name: MetricChange['metric'], pick: (r: ResultRow) => number | null) => {
      const [x, y] = [o ? pick(o) : null, n ? pick(n) : null];
      metrics.push({ run: id, metric: name, old: x, new: y, change: x === null || y === null ? null : y - x, cached: { old: !!o, new: !!n } });
    };
    metric('test accuracy', (r) => r.testAccuracy);
    metric('test loss', (r) => r.testLoss);
    metric('val accuracy', (r) => r.valAccuracy);
  }
  return {
    ...sides,
    params,
    metrics,
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    uncached: { old: [...before.keys()].filter((id) => !oldRows.has(id)), new: [...after.keys()].filter((id) => !newRows.has(id)) },
  };
}

const signed = (s: string) => (s.startsWith('-') ? `−${s.slice(1)}` : `+${s}`);

/** A metric's cell on a side where its run is not cached. */
const NOT_CACHED = 'not cached';

function metricCells(m: MetricChange): string[] {
  const accuracy = m.metric !== 'test loss';
  const value = (v: number | null, cached: boolean) => (!cached ? NOT_CACHED : v === null ? NONE : accuracy ? percent(v) : loss(v));
  // Accuracies change in percentage points; a loss in its own unit.
  const change = m.change === null ? NONE : m.change === 0 ? '0' : signed(accuracy ? `${(100 * m.change).toFixed(2)} pt` : m.change.toFixed(4));
  return [m.run, m.metric, value(m.old, m.cached.old), value(m.new, m.cached.new), change];
}

/** The diff as text for a terminal, JSON, or Markdown tables. */
export function formatDiff(diff: ResultsDiff, format: 'text' | 'json' | 'md'): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  const paramTable = { header: ['Run', 'Param', diff.old, diff.new], cells: diff.params.map((p) => [p.run, p.param, settingValue(p.old), settingValue(p.new)]), align: ['l', 'l', 'l', 'l'] as ('l' | 'r')[] };
  const metricTable = { header: ['Run', 'Metric', diff.old, diff.new, 'Change'], cells: diff.metrics.map(metricCells), align: ['l', 'l', 'r', 'r', 'r'] as ('l' | 'r')[] };
  const render = (t: typeof paramTable) => (format === 'md' ? table : textTable)(t.header, t.cells, t.align);
  const parts = [diff.params.length ? render(paramTable) : `No setting changed between ${diff.old} and ${diff.new}.`];
  if (diff.metrics.length) parts.push(render(metricTable));
  if (diff.added.length) parts.push(`Only in ${diff.new}: ${diff.added.join(', ')}`);
  if (diff.removed.length) parts.push(`Only in ${diff.old}: ${diff.removed.join(', ')}`);
  for (const [side, ids] of [[diff.old, diff.uncached.old], [diff.new, diff.uncached.new]] as const) {
    if (ids.length) parts.push(`Not cached in ${side}: ${ids.join(', ')}`);
  }
  return `${parts.join('\n\n')}\n`;
}
