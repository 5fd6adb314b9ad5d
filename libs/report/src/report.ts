import type { EpochRecord, Metrics, ParityResult, RunInfo } from '../../artifacts';
import { groupRuns, hasRepeats, meanStd, type RunGroup } from '../../charts';
import { cell, duration, integer, loss, NONE, percent, plusMinus, scientific, settingValue, signedPercent, transforms } from './format';
import type { ChartLink, ReportInput, ReportRun } from './types';


/** The report as Markdown. Pure: no clock, no file system, so the same artifacts give the same report. */
export function renderReport(input: ReportInput, charts: ChartLink[] = []): string {
  const out: string[] = [`# ${input.pipeline}`, ''];
  if (input.description) out.push(input.description, '');
  if (input.overrides && Object.keys(input.overrides).length > 0) {
    const what = input.profile ? `Quick run: profile \`${input.profile}\`` : 'Reduced run: TRAINYARD_OVERRIDES';
    const full = input.profile ? ` Run it without \`--configuration=${input.profile}\` for those.` : '';
    out.push(`> ${what} \`${JSON.stringify(input.overrides)}\` was merged over every run, so these are not the figures of the pipeline as written.${full}`, '');
  }
  // What to read first: the leaderboard, then the charts, then each run in detail.
  if (input.runs.length > 1) out.push(...leaderboard(groupRuns(input.runs)), '');
  if (charts.length > 0) {
    out.push('## Charts', '');
    for (const c of charts) out.push(`### ${c.title}`, '', `![${c.title}](${encodeURI(c.href)})`, '');
  }
  if (input.runs.length > 1) out.push(...summary(input.runs), '');
  for (const run of input.runs) out.push(...runSection(run, input.runs.length > 1), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** What sets a group apart, as its runs' values say (variant, swept keys), the seed left out: its runs share them. */
function groupValues(g: RunGroup): Record<string, unknown> {
  const { seed: _seed, ...values } = g.runs[0]?.run?.values ?? {};
  return values;
}

/** Dotted keys and values of a configuration's leaves; lists as one value. */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, JSON.stringify(value)]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The training settings and the dataset every run has alike (from each run.json's configuration), as one line:
 * what the leaderboard's columns do not say. Undefined when a run has no configuration recorded.
 */
function sharedSettings(runs: ReportRun[]): string | undefined {
  const configs = runs.map((r) => r.run?.config);
  if (configs.some((c) => c === undefined)) return undefined;
  const all = configs.map((c) => new Map([...leaves(c!.training, 'training'), ...leaves(c!.dataset, 'dataset')]));
  const shared = [...all[0]].filter(([key, value]) => key !== 'training.seed' && all.every((m) => m.get(key) === value));
  if (shared.length === 0) return undefined;
  // Strings bare; the dataset's transforms (alike in every run) as words, not their JSON.
  const dataset = configs[0]!.dataset as { transforms?: unknown };
  const text = (key: string, value: string) =>
    key === 'dataset.transforms' && Array.isArray(dataset.transforms) ? transforms(dataset.transforms) : value.replace(/^"(.*)"$/, '$1');
  return `Every run: ${shared.map(([key, value]) => `${key.replace(/^training\./, '')} ${text(key, value)}`).join(', ')}.`;
}

/**
 * One row per group of runs that differ only by seed, best mean test accuracy first and marked: the swept
 * values as columns, mean ± sample standard deviation and n of the figures; then what every run shares.
 */
function leaderboard(groups: RunGroup[]): string[] {
  const keys = [...new Set(groups.flatMap((g) => Object.keys(groupValues(g))))];
  const mean = (g: RunGroup) => {
    const values = g.runs.flatMap((r) => (r.metrics ? [r.metrics.accuracy] : []));
    return values.length ? meanStd(values).mean : -Infinity;
  };
  const ranked = groups.map((g) => ({ g, m: mean(g) })).sort((a, b) => b.m - a.m);
  const rows = ranked.map(({ g, m }, i) => [
    i === 0 && Number.isFinite(m) ? '★' : '',
    ...(keys.length ? keys.map((k) => cell(settingValue(groupValues(g)[k]))) : [cell(g.label)]),
    String(g.runs.length),
    over(g, (r) => r.metrics?.accuracy, 'percent'),
    over(g, (r) => r.metrics?.loss, 'loss'),
    over(g, (r) => keptEpoch(r)?.valAccuracy, 'percent'),
    groupParams(g),
    groupEpochs(g),
  ]);
  const header = ['', ...(keys.length ? keys : ['Run']), 'n', 'Test accuracy', 'Test loss', 'Val accuracy', 'Parameters', 'Epochs'];
  const align: ('l' | 'r')[] = ['l', ...(keys.length ? keys : ['Run']).map((): 'l' => 'l'), 'r', 'r', 'r', 'r', 'r', 'l'];
  const shared = sharedSettings(groups.flatMap((g) => g.runs));
  const repeats = hasRepeats(groups);
  return [
    '## Leaderboard',
    '',
    table(header, rows, align),
    '',
    ...(shared ? [cell(shared), ''] : []),
    repeats
      ? 'Best mean test accuracy first (★). Mean ± sample standard deviation (n − 1 in the denominator) over the n runs of each row, ' +
        'which differ only by their seed; the ± of an accuracy is in percentage points.'
      : 'Best test accuracy first (★).',
  ];
}

/** Mean ± std of a figure over the runs of a group that have it, saying how many when not all do. */
function over(g: RunGroup, pick: (r: ReportRun) => number | undefined, unit: 'percent' | 'loss'): string {
  const values = g.runs.map(pick).filter((v): v is number => v !== undefined);
  if (values.length === 0) return NONE;
  const text = plusMinus(meanStd(values), unit);
  return values.length === g.runs.length ? text : `${text} (${values.length} of ${g.runs.length})`;
}

/** Parameter counts of the group's runs that have run info: one value, as only the seed differs. */
function params(g: RunGroup): number[] {
  return g.runs.flatMap((r) => (r.run ? [r.run.paramCount] : []));
}

/** The group's parameter count, with the match when its runs' MLP was matched to another model (all alike: only the seed differs). */
function groupParams(g: RunGroup): string {
  const counts = params(g);
  const matched = g.runs.map((r) => r.run?.matched);
  const same = new Set(matched.map((m) => (m ? `${m.model}\n${m.params}` : ''))).size === 1;
  const first = g.runs[0]?.run;
  if (first && same && new Set(counts).size === 1 && counts.length === g.runs.length) return parameters(first);
  return range(counts, integer);
}

/** "61,699", or for an MLP matched to another model's parameter count "61,699 (matched to LeNet-5: 61,706, -0.01%)". */
export function parameters(info: RunInfo): string {
  const count = integer(info.paramCount);
  const m = info.matched;
  return m ? `${count} (matched to ${cell(m.model)}: ${integer(m.params)}, ${signedPercent((info.paramCount - m.params) / m.params)})` : count;
}

/** "61,706", or "3–5" when the runs differ. */
function range(values: number[], format: (n: number) => string): string {
  if (values.length === 0) return NONE;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? format(lo) : `${format(lo)}–${format(hi)}`;
}

/** Epochs run, and how many runs stopped early or diverged: "5", "3–5 (1 early-stopped)". */
function groupEpochs(g: RunGroup): string {
  const runEpochs = g.runs.map((r) => r.run?.epochsRun ?? r.history.epochs.length);
  const epochs = range(runEpochs, String);
  const counts = new Map<string, number>();
  for (const r of g.runs) if (r.run && r.run.status !== 'ok') counts.set(r.run.status, (counts.get(r.run.status) ?? 0) + 1);
  const notes = [...counts].map(([status, n]) => `${n} ${status}`);
  return notes.length > 0 ? `${epochs} (${notes.join(', ')})` : epochs;
}

/** One row per run, to compare them at a glance. */
function summary(runs: ReportRun[]): string[] {
  const rows = runs.map((r) => {
    const kept = keptEpoch(r);
    return [
      cell(r.name),
      cell(r.run?.model ?? NONE),
      r.run ? parameters(r.run) : NONE,
      epochsAndStatus(r, false),
      kept ? percent(kept.valAccuracy) : NONE,
      r.metrics ? percent(r.metrics.accuracy) : NONE,
      r.metrics ? (r.metrics.parity.ok ? 'pass' : 'FAIL') : NONE,
    ];
  });
  return [
    '## Runs',
    '',
    table(['Run', 'Model', 'Parameters', 'Epochs', 'Val accuracy', 'Test accuracy', 'Parity'], rows, [
      'l',
      'l',
      'r',
      'l',
      'r',
      'r',
      'l',
    ]),
  ];
}

function runSection(r: ReportRun, several: boolean): string[] {
  const info: RunInfo | undefined = r.run;
  const last = lastEpoch(r);
  const best = bestValEpoch(r);
  const m = r.metrics;
  const rows: [string, string][] = [
    ['Model', cell(info?.model ?? NONE)],
    ['Parameters', info ? parameters(info) : NONE],
    ['Backend', info ? cell(info.threads > 1 ? `${info.backend}, ${info.threads} threads` : info.backend) : NONE],
    ['Seed', info ? String(info.seed) : NONE],
    ['Epochs run', epochsAndStatus(r, true)],
    ['Training time', info ? duration(info.seconds) : NONE],
    ['Final train loss', last ? loss(last.trainLoss) : NONE],
    ['Final train accuracy', last ? percent(last.trainAccuracy) : NONE],
    ['Final validation loss', last ? loss(last.valLoss) : NONE],
    ['Final validation accuracy', last ? percent(last.valAccuracy) : NONE],
    ['Best validation accuracy', best ? `${percent(best.valAccuracy)} (epoch ${best.epoch})` : NONE],
    ...(info?.restoredEpoch !== undefined
      ? ([['Weights exported', info.restoredEpoch === 0 ? 'the initial weights' : `epoch ${info.restoredEpoch}'s (validation accuracy ${keptEpoch(r) ? percent(keptEpoch(r)!.valAccuracy) : NONE})`]] as [string, string][])
      : []),
    ['Test accuracy', m ? `${percent(m.accuracy)} (${integer(m.samples)} images, ${cell(m.runtime)})` : 'not evaluated'],
    ['Test loss', m ? loss(m.loss) : 'not evaluated'],
    ['Parity, ONNX vs TensorFlow.js', m ? parity(m.parity) : 'not evaluated'],
  ];
  const heading = several ? `## Run ${r.name}` : '## Results';
  const out = [heading, '', table(['', ''], rows, ['l', 'l'])];
  if (m) out.push('', ...perClass(m));
  return out;
}

function perClass(m: Metrics): string[] {
  const rows = m.perClass.map((c) => [cell(c.class), percent(c.precision), percent(c.recall), integer(c.support)]);
  return ['### Per class, test set', '', table(['Class', 'Precision', 'Recall', 'Support'], rows, ['l', 'r', 'r', 'r'])];
}

function parity(p: ParityResult): string {
  const scaled = p.maxScaledDiff ?? p.maxAbsDiff;
  const relative = scaled !== p.maxAbsDiff ? ` (${scientific(scaled)} of its row's scale)` : '';
  const diff = `max abs diff ${scientific(p.maxAbsDiff)}${relative} ${p.ok ? '≤' : '>'} tolerance ${scientific(p.tolerance)} over ${p.probeSize} test images`;
  const argmax = p.argmaxAgree ? 'argmax agrees' : 'argmax differs';
  return p.ok ? `pass: ${diff}; ${argmax}` : `**FAIL**: ${diff} (largest at image ${p.at[0]}, class ${p.at[1]}); ${argmax}`;
}

function epochsAndStatus(r: ReportRun, withReason: boolean): string {
  const epochs = r.run?.epochsRun ?? r.history.epochs.length;
  if (!r.run) return String(epochs);
  const reason = withReason && r.run.reason ? `: ${cell(r.run.reason)}` : '';
  return `${epochs} (${r.run.status}${reason})`;
}

function lastEpoch(r: ReportRun): EpochRecord | undefined {
  return r.history.epochs[r.history.epochs.length - 1];
}

/** The epoch whose weights were exported and evaluated: early stopping's best, a diverged run's last finite one, or the last. */
export function keptEpoch(r: ReportRun): EpochRecord | undefined {
  const kept = r.run?.restoredEpoch;
  return kept === undefined ? lastEpoch(r) : r.history.epochs.find((e) => e.epoch === kept);
}

/** First epoch with the highest validation accuracy; NaN epochs never win. */
function bestValEpoch(r: ReportRun): EpochRecord | undefined {
  let best: EpochRecord | undefined;
  for (const e of r.history.epochs) if (Number.isFinite(e.valAccuracy) && (!best || e.valAccuracy > best.valAccuracy)) best = e;
  return best;
}

/** The same table for a terminal: columns padded to their widest cell, two spaces apart. */
export function textTable(header: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((v, c) => (align[c] === 'r' ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function table(header: string[], rows: string[][], align: ('l' | 'r')[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '--:' : ':--'))), ...rows.map(line)].join('\n');
}
