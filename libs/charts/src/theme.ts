import type { Config } from 'vega-lite';
import { ChartsError } from './errors';
import { groupRuns, hasRepeats } from './groups';
import type { ChartRun } from './types';

/** Installed on Debian by default, so the SVG and the PNG rasterised from it measure text alike. */
export const FONT = 'DejaVu Sans';

/** Plot area of the curve charts, in SVG pixels. */
export const CURVE_SIZE = { width: 480, height: 300 } as const;
/** Plot area of one confusion matrix: square, so cells are square. */
export const CONFUSION_SIZE = 360;

/** Colours of the two splits when a single run is drawn (Tableau 10 blue and orange: distinct for common colour blindness). */
export const SPLIT_COLORS = { train: '#4c78a8', validation: '#f58518' } as const;

/** Identifies the spec for editors and validators; nothing is fetched from it. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const config: Config = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 15, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#555555', anchor: 'start', offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titleColor: '#333333',
    labelColor: '#333333',
    gridColor: '#e8e8e8',
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 220, symbolStrokeWidth: 2.5 },
  view: { stroke: '#dddddd' },
};

export interface ChartTitle {
  text: string;
  subtitle?: string;
}

/** Title naming the model and pipeline of one run, or the runs compared. */
export function chartTitle(what: string, runs: ChartRun[]): ChartTitle {
  if (runs.length === 1) {
    const r = runs[0];
    const subject = r.run?.model ?? r.name;
    return r.run
      ? { text: `${subject}: ${what}`, subtitle: `pipeline ${r.run.pipeline} · run ${r.run.run}` }
      : { text: `${subject}: ${what}` };
  }
  const models = [...new Set(runs.map((r) => r.run?.model).filter((m): m is string => m !== undefined))];
  const subject = models.length > 0 && models.length <= 3 ? models.join(' vs ') : `${runs.length} runs`;
  const groups = groupRuns(runs);
  // The legend names the groups; the subtitle says how many runs stand behind each colour.
  if (hasRepeats(groups)) {
    return {
      text: `${subject}: ${what}`,
      subtitle: groupsSubtitle(
        runs.length,
        groups.map((g) => g.runs.length),
      ),
    };
  }
  // The legend or the axis names every run; listing them again only fits a few.
  const list = `runs: ${runs.map((r) => r.name).join(', ')}`;
  return { text: `${subject}: ${what}`, subtitle: list.length <= 90 ? list : `${runs.length} runs` };
}

/** "9 runs: 3 groups × 3 seeds", or "7 runs in 3 groups" when the groups differ in size. */
export function groupsSubtitle(runCount: number, groupSizes: number[]): string {
  const k = groupSizes[0];
  return groupSizes.every((n) => n === k)
    ? `${runCount} runs: ${groupSizes.length} groups × ${k} seeds`
    : `${runCount} runs in ${groupSizes.length} groups`;
}

export function requireRuns(kind: string, runs: ChartRun[]): void {
  if (runs.length === 0) throw new ChartsError('NO_RUNS', `${kind} chart: no runs given`);
  const names = runs.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  // Runs are told apart by name in legends and data, so two with one name would merge.
  if (dup !== undefined)
    throw new ChartsError('DUPLICATE_RUN', `${kind} chart: two runs are named '${dup}'; give each run a distinct name`);
}

/** Charts of test results need every run evaluated. */
export function requireMetrics(kind: string, runs: ChartRun[]): void {
  const missing = runs.filter((r) => r.metrics === undefined).map((r) => r.name);
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`).join(', ');
    throw new ChartsError(
      'NO_METRICS',
      `${kind} chart: no test metrics for ${names}; run the evaluate stage first, or leave '${kind}' out of charts -> include`,
    );
  }
}

