import { integer, loss, percent } from './format';
import { keptEpoch, table, textTable } from './report';
import type { RunInfo } from '../../artifacts';
import type { ReportRun } from './types';

/** One run's results as data: what `trainyard results` prints, in every format. */
export interface ResultRow {
  run: string;
  label: string;
  /** What sets the run apart (variant, swept keys, seed); empty for a pipeline of one run. */
  values: Record<string, unknown>;
  model: string;
  parameters: number;
  epochs: number;
  status: string;
  /** At the epoch whose weights were exported. */
  valAccuracy: number | null;
  testAccuracy: number | null;
  testLoss: number | null;
  parity: boolean | null;
  seconds: number;
  /** Set for a reduced run: what was merged over the file as written (a profile, TRAINYARD_OVERRIDES). */
  overrides?: RunInfo['overrides'];
}

export const RESULT_FORMATS = ['text', 'json', 'csv', 'md'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** The runs that trained, best test accuracy first (runs not evaluated last, in their order). */
export function resultRows(runs: ReportRun[]): ResultRow[] {
  const rows = runs.flatMap((r): ResultRow[] => {
    if (!r.run) return [];
    const kept = keptEpoch(r);
    return [
      {
        run: r.run.run,
        label: r.run.label ?? r.run.run,
        values: r.run.values ?? {},
        model: r.run.model,
        parameters: r.run.paramCount,
        epochs: r.run.epochsRun,
        status: r.run.status,
        valAccuracy: kept && Number.isFinite(kept.valAccuracy) ? kept.valAccuracy : null,
        testAccuracy: r.metrics?.accuracy ?? null,
        testLoss: r.metrics?.loss ?? null,
        parity: r.metrics ? r.metrics.parity.ok : null,
        seconds: r.run.seconds,
        ...(r.run.overrides && { overrides: r.run.overrides }),
      },
    ];
  });
  return rows.map((row, i) => ({ row, i })).sort((a, b) => (b.row.testAccuracy ?? -1) - (a.row.testAccuracy ?? -1) || a.i - b.i).map(({ row }) => row);
}

/** The swept keys of any row, in first-seen order: a column each. */
function valueKeys(rows: ResultRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
}

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The rows as text for a terminal, JSON, CSV or a Markdown table. */
export function formatResults(rows: ResultRow[], format: ResultFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const keys = valueKeys(rows);
  const none = format === 'csv' ? '' : '—';
  if (format === 'csv') {
    const header = ['run', ...keys, 'model', 'parameters', 'epochs', 'status', 'val_accuracy', 'test_accuracy', 'test_loss', 'parity', 'seconds'];
    const field = (v: unknown) => {
      const s = v === null ? none : show(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const lines = rows.map((r) => [r.run, ...keys.map((k) => r.values[k]), r.model, r.parameters, r.epochs, r.status, r.valAccuracy, r.testAccuracy, r.testLoss, r.parity, r.seconds].map(field).join(','));
    return `${[header.join(','), ...lines].join('\n')}\n`;
  }
  const header = ['Run', ...keys, 'Model', 'Parameters', 'Epochs', 'Val accuracy', 'Test accuracy', 'Test loss', 'Parity'];
  const align: ('l' | 'r')[] = ['l', ...keys.map((): 'l' => 'l'), 'l', 'r', 'l', 'r', 'r', 'r', 'l'];
  const cells = rows.map((r) => [
    r.run,
    ...keys.map((k) => show(r.values[k])),
    r.model,
    integer(r.parameters),
    `${r.epochs} (${r.status})`,
    r.valAccuracy === null ? none : percent(r.valAccuracy),
    r.testAccuracy === null ? none : percent(r.testAccuracy),
    r.testLoss === null ? none : loss(r.testLoss),
    r.parity === null ? none : r.parity ? 'pass' : 'FAIL',
  ]);
  return `${(format === 'md' ? table : textTable)(header, cells, align)}\n`;
}
