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
  old: number | null;
  new: number | null;
  change: number | null;
}

export interface ResultsDiff {
  /** What each side is: a git ref and its commit, or the working tree. */
  old: string;
  new: string;
  params: ParamChange[];
  metrics: MetricChange[];
  /** Runs on one side only (a sweep that grew or shrank). */
  added: string[];
  removed: string[];
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
 * The settings and results of two sets of runs of one pipeline, run by run (matched by run id): every
 * setting that changed, and test accuracy, test loss and validation accuracy with their change.
 */
export function diffResults(oldRuns: ReportRun[], newRuns: ReportRun[], sides: { old: string; new: string }): ResultsDiff {
  const byRun = (runs: ReportRun[]) => new Map(runs.filter((r) => r.run).map((r) => [r.run!.run, r]));
  const [before, after] = [byRun(oldRuns), byRun(newRuns)];
  const rows = (runs: ReportRun[]) => new Map(resultRows(runs).map((row) => [row.run, row]));
  const [oldRows, newRows] = [rows(oldRuns), rows(newRuns)];
  const params: ParamChange[] = [];
  const metrics: MetricChange[] = [];
  for (const [id, now] of after) {
    const then = before.get(id);
    if (!then) continue;
    const [a, b] = [flatten(then.run!.config ?? {}), flatten(now.run!.config ?? {})];
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      if (!same(a[key], b[key])) params.push({ run: id, param: key, old: a[key], new: b[key] });
    }
    const [o, n] = [oldRows.get(id)!, newRows.get(id)!];
    const metric = (name: MetricChange['metric'], pick: (r: ResultRow) => number | null) => {
      const [x, y] = [pick(o), pick(n)];
      metrics.push({ run: id, metric: name, old: x, new: y, change: x === null || y === null ? null : y - x });
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
  };
}

const signed = (s: string) => (s.startsWith('-') ? `−${s.slice(1)}` : `+${s}`);

function metricCells(m: MetricChange): string[] {
  const accuracy = m.metric !== 'test loss';
  const value = (v: number | null) => (v === null ? NONE : accuracy ? percent(v) : loss(v));
  // Accuracies change in percentage points; a loss in its own unit.
  const change = m.change === null ? NONE : m.change === 0 ? '0' : signed(accuracy ? `${(100 * m.change).toFixed(2)} pt` : m.change.toFixed(4));
  return [m.run, m.metric, value(m.old), value(m.new), change];
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
  return `${parts.join('\n\n')}\n`;
}
