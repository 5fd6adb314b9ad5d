import type { TopLevelSpec } from 'vega-lite';
import type { Metrics } from '../../../artifacts';
import { groupRuns, hasRepeats, type RunGroup } from '../groups';
import { meanStd } from '../stats';
import { textWidth } from '../text-width';
import { chartTitle, config, requireMetrics, requireRuns, SPLIT_COLORS, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';
import { groupThousands } from './confusion';

/** One bar: a group's test accuracy, in percent. */
export interface AccuracyBar {
  group: string;
  /** Runs in the group. */
  n: number;
  mean: number;
  /** Sample standard deviation; null for a group of one run, which gets no error bar. */
  std: number | null;
  /** mean - std and mean + std; null without std. */
  low: number | null;
  high: number | null;
  /** "98.79% ± 0.05", or "98.79%" for a single run. */
  accuracyText: string;
  /** "61,706 params"; empty without run info. */
  paramsText: string;
}

/** One dot: a single run's test accuracy, in percent. */
export interface AccuracyDot {
  group: string;
  run: string;
  value: number;
}

/** Plot width, and the height each bar takes. */
const PLOT_WIDTH = 360;
const BAR_STEP = 36;
/** Gap between the plot and the text columns on its right, and between the columns. */
const GAP = 14;
/** Longest group name drawn in full on the y axis; longer ones end in "…". */
const LABEL_LIMIT = 300;
const BAR_OPACITY = 0.85;
const INK = '#222222';
const X_TITLE = 'Test accuracy (%)';
/** Font size of the figures beside the bars: the axis labels' size. */
const FONT_SIZE = 12;

/** Mean, standard deviation and parameter count of each group, in group order. */
export function accuracyBars(groups: RunGroup[]): AccuracyBar[] {
  return groups.map((g) => {
    const { n, mean, std } = meanStd(g.runs.map((r) => (r.metrics as Metrics).accuracy * 100));
    const spread = std === undefined ? null : std;
    return {
      group: g.label,
      n,
      mean,
      std: spread,
      low: spread === null ? null : mean - spread,
      high: spread === null ? null : mean + spread,
      accuracyText: spread === null ? `${mean.toFixed(2)}%` : `${mean.toFixed(2)}% ± ${spread.toFixed(2)}`,
      paramsText: paramsText(g.runs),
    };
  });
}

/**
 * Test accuracy per group as horizontal bars (long group names stay readable on the y axis): the mean
 * over the group's runs, ± one sample standard deviation where a group has two runs or more, each run
 * as a dot, and the figures with the parameter count in columns beside the plot.
 */
export function testAccuracySpec(runs: ChartRun[]): TopLevelSpec {
  requireRuns('test-accuracy', runs);
  requireMetrics('test-accuracy', runs);
  const groups = groupRuns(runs);
  const repeats = hasRepeats(groups);
  const bars = accuracyBars(groups);
  const dots: AccuracyDot[] = repeats
    ? groups.flatMap((g) => g.runs.map((r) => ({ group: g.label, run: r.name, value: (r.metrics as Metrics).accuracy * 100 })))
    : [];
  // One bar compares with nothing: it is drawn from 0, so its length reads as the accuracy itself.
  const domain: [number, number] = bars.length === 1 && !repeats ? [0, 100] : accuracyDomain(bars, dots);
  const labels = bars.map((b) => b.group);
  const title = chartTitle(repeats ? 'test accuracy per group' : 'test accuracy', runs);
  const notes = [
    repeats && 'bars: mean, whiskers: ± 1 sample standard deviation, dots: runs',
    // Accuracies sit in a narrow band near 100%; from 0 the bars would look alike and the whiskers vanish.
    domain[0] > 0 && `bars start at ${domain[0]}%`,
  ].filter((x): x is string => typeof x === 'string');
  const subtitle = [title.subtitle, notes.join(' · ')].filter((x): x is string => x !== undefined && x !== '');

  // Figures in two right-aligned columns just past the plot's right edge.
  const accuracyColumn = Math.max(...bars.map((b) => textWidth(b.accuracyText, FONT_SIZE)));
  const paramsColumn = Math.max(...bars.map((b) => textWidth(b.paramsText, FONT_SIZE)));
  const y = {
    field: 'group',
    type: 'nominal' as const,
    sort: labels,
    title: null,
    scale: { paddingInner: 0.3, paddingOuter: 0.2 },
    axis: { labelLimit: LABEL_LIMIT, labelFontSize: 12, labelPadding: 8, ticks: false, domain: false },
  };
  const column = (field: keyof AccuracyBar, right: number) => ({
    data: { values: bars },
    mark: { type: 'text' as const, align: 'right' as const, baseline: 'middle' as const, fontSize: FONT_SIZE, color: INK },
    encoding: { y, x: { value: PLOT_WIDTH + right }, text: { field, type: 'nominal' as const } },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    config,
    title: { text: title.text, ...(subtitle.length > 0 ? { subtitle: subtitle.length === 1 ? subtitle[0] : subtitle } : {}) },
    width: PLOT_WIDTH,
    height: { step: BAR_STEP },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', opacity: BAR_OPACITY },
        encoding: {
          y,
          x: {
            field: 'mean',
            type: 'quantitative',
            title: X_TITLE,
            scale: { domain, nice: false, zero: false },
            // One bar per row, nothing to stack; stacking would also start the bars at 0.
            stack: null,
            axis: { tickCount: 6, grid: true },
          },
          // From the plot's left edge: Vega-Lite would start the bars at 0, far off the fitted axis.
          x2: { value: 0 },
          // The colours of the curve charts, in the same group order.
          color:
            bars.length > 1
              ? { field: 'group', type: 'nominal', sort: labels, scale: { scheme: 'tableau10' }, legend: null }
              : { value: SPLIT_COLORS.train },
        },
      },
      {
        data: { values: bars },
        transform: [{ filter: 'datum.std !== null' }],
        mark: { type: 'errorbar', ticks: { size: 12, color: INK }, rule: { color: INK, strokeWidth: 1.5 } },
        // Titled like the bars' x, else Vega-Lite joins the field names into the axis title.
        encoding: { y, x: { field: 'low', type: 'quantitative', title: X_TITLE }, x2: { field: 'high' } },
      },
      {
        data: { values: dots },
        // Just below the whisker, so neither hides the other.
        mark: {
          type: 'point',
          shape: 'circle',
          size: 28,
          yOffset: 8,
          filled: true,
          fill: 'white',
          stroke: INK,
          strokeWidth: 1,
          opacity: 1,
        },
        encoding: { y, x: { field: 'value', type: 'quantitative', title: X_TITLE } },
      },
      column('accuracyText', GAP + accuracyColumn),
      column('paramsText', GAP + accuracyColumn + GAP + paramsColumn),
    ],
  };
}

/** "61,706 params"; a range if the group's runs differ (they should not: only the seed does). */
function paramsText(runs: ChartRun[]): string {
  const counts = [...new Set(runs.flatMap((r) => (r.run ? [r.run.paramCount] : [])))].sort((a, b) => a - b);
  if (counts.length === 0) return '';
  const first = groupThousands(counts[0]);
  return counts.length === 1 ? `${first} params` : `${first}–${groupThousands(counts[counts.length - 1])} params`;
}

/** Steps an accuracy axis is labelled in, in percentage points. */
const STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20];

/**
 * The x domain in percent: every bar end, whisker and dot with a margin, widened to round steps and
 * kept within [0, 100].
 */
export function accuracyDomain(bars: AccuracyBar[], dots: AccuracyDot[]): [number, number] {
  const values = [...bars.flatMap((b) => [b.mean, b.low, b.high]), ...dots.map((d) => d.value)].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  if (values.length === 0) return [0, 100];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const margin = Math.max((max - min) * 0.25, 0.2);
  const low = Math.max(0, min - margin);
  const high = Math.min(100, max + margin);
  const step = STEPS.find((s) => (high - low) / s <= 8) ?? 20;
  // The epsilon keeps 97.8 / 0.2 = 488.99999999999994 on 489; rounding keeps 0.1 * 978 from printing as 97.80000000000001.
  const EPS = 1e-9;
  const round = (x: number) => Number(x.toFixed(6));
  return [round(Math.max(0, Math.floor(low / step + EPS) * step)), round(Math.min(100, Math.ceil(high / step - EPS) * step))];
}

export const testAccuracy: ChartDefinition = { title: 'Test accuracy', applies: () => true, spec: testAccuracySpec };
