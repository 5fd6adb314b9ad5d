import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../../artifacts';
import { ChartsError } from './errors';
import { groupRuns, hasRepeats } from './groups';
import { chartTitle, config, CURVE_SIZE, requireRuns, SPLIT_COLORS, VEGA_LITE_SCHEMA } from './theme';
import type { ChartRun } from './types';

export const SPLITS = ['train', 'validation'] as const;
export type Split = (typeof SPLITS)[number];

/** One point of a per-epoch curve. `value` is null where training produced NaN or infinity (a diverged run): the line stops there. */
export interface CurvePoint {
  run: string;
  /** The run's group label: runs that differ only by seed share it (and a colour). */
  group: string;
  split: Split;
  epoch: number;
  value: number | null;
}

/** Legend entries drawn as short line segments, so the dash of each split shows. */
const LINE_LEGEND = { symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 2.5 } as const;

const Y_TICKS = 8;

/** Legend labels longer than this (in pixels) end in "…". */
const LONG_LABEL_LIMIT = 320;

/** More runs than this draw thinner. */
const CROWDED_FROM = 3;

/** Markers help read single epochs on short runs and only clutter long ones. */
const MAX_EPOCHS_WITH_POINTS = 30;

/** Long-format rows, two per epoch per run (train, validation), in epoch order. */
/** Whether any run finished an epoch: a pipeline whose every run diverged in its first has no curves to draw. */
export function hasEpochs(runs: ChartRun[]): boolean {
  return runs.some((r) => r.history.epochs.length > 0);
}

export function curvePoints(kind: string, runs: ChartRun[], pick: (e: EpochRecord) => Record<Split, number>): CurvePoint[] {
  requireRuns(kind, runs);
  const groupOf = new Map(groupRuns(runs).flatMap((g) => g.runs.map((r) => [r.name, g.label] as const)));
  const points: CurvePoint[] = [];
  // A run that diverged in its first epoch has no curve; the test-accuracy chart and the report still show it.
  if (runs.every((r) => r.history.epochs.length === 0)) {
    throw new ChartsError('EMPTY_HISTORY', `${kind} chart: no run has a complete epoch in its history`);
  }
  for (const r of runs) {
    for (const e of r.history.epochs) {
      const v = pick(e);
      for (const split of SPLITS) {
        const value = Number.isFinite(v[split]) ? v[split] : null;
        points.push({ run: r.name, group: groupOf.get(r.name) as string, split, epoch: e.epoch, value });
      }
    }
  }
  return points;
}

export interface CurveSpecArgs {
  /** Noun of the title, e.g. "loss per epoch". */
  what: string;
  runs: ChartRun[];
  points: CurvePoint[];
  yTitle: string;
  /** Start the y axis at zero (loss) or fit it to the data (accuracy, whose interesting range is narrow). */
  yZero: boolean;
}

/**
 * Lines per epoch. One run: colour tells train from validation. Several runs: colour tells
 * the runs apart and the dash the split (validation solid, train dashed). Runs repeated over
 * seeds: colour tells the groups apart, each group's line its mean over seeds in a band of ± 1
 * standard deviation, so 9 runs of 3 groups show 3 lines per split.
 */
export function curveSpec({ what, runs, points, yTitle, yZero }: CurveSpecArgs): TopLevelSpec {
  const single = runs.length === 1;
  const groups = groupRuns(runs);
  const byGroup = hasRepeats(groups);
  const longest = Math.max(...runs.map((r) => r.history.epochs.length));
  // Thinner lines and smaller markers keep overlapping seeds apart.
  const crowded = runs.length > CROWDED_FROM;
  const splitScale = { domain: [...SPLITS] };
  const color = single
    ? {
        field: 'split',
        type: 'nominal' as const,
        title: 'Split',
        scale: { ...splitScale, range: [SPLIT_COLORS.train, SPLIT_COLORS.validation] },
        legend: LINE_LEGEND,
      }
    : {
        field: byGroup ? 'group' : 'run',
        type: 'nominal' as const,
        title: byGroup ? 'Group' : 'Run',
        sort: byGroup ? groups.map((g) => g.label) : runs.map((r) => r.name),
        scale: { scheme: 'tableau10' },
        // Run and group labels list what a sweep changed, e.g. "dropout, learning-rate=0.01".
        legend: { ...LINE_LEGEND, labelLimit: LONG_LABEL_LIMIT },
      };
  // In a page (report.html), a click on a legend entry keeps its runs and fades the others; a static image shows all.
  const pick = single ? undefined : { name: 'pick', select: { type: 'point' as const, fields: [color.field] }, bind: 'legend' as const };
  const opacity = pick ? { opacity: { condition: { param: pick.name, value: 1 }, value: 0.12 } } : {};
  const withPoints = longest <= MAX_EPOCHS_WITH_POINTS;
  // The selection sits on the first layer, whose legend the chart shows (bound there, it toggles).
  // Runs repeated over seeds: one line per group and split at the mean over its seeds, in a band of ± 1 standard deviation.
  const mean = byGroup ? { y: { field: 'value', type: 'quantitative' as const, aggregate: 'mean' as const } } : {};
  const line = {
    ...(pick && { params: [pick] }),
    mark: { type: 'line' as const, strokeWidth: crowded && !byGroup ? 1.5 : 2 },
    encoding: single
      ? { color }
      : {
          color,
          ...opacity,
          ...mean,
          strokeDash: {
            field: 'split',
            type: 'nominal' as const,
            title: 'Split',
            scale: {
              ...splitScale,
              range: [
                [6, 4],
                [1, 0],
              ],
            },
            // Colour belongs to the run legend; these entries need one of their own to be seen.
            legend: { ...LINE_LEGEND, symbolStrokeColor: '#444444' },
          },
        },
  };
  // Markers sit in a layer of their own: on the line mark they would turn the dash legend into dots.
  // A tooltip of their own: with a selection in the chart, Vega-Lite leaves layers without one deaf to the pointer.
  const markers = { mark: { type: 'point' as const, filled: true, size: crowded && !byGroup ? 16 : 36, opacity: 1, tooltip: true }, encoding: { color, ...opacity, ...mean, ...(byGroup && { detail: { field: 'split', type: 'nominal' as const } }) } };
  const band = {
    mark: { type: 'errorband' as const, extent: 'stdev' as const, opacity: 0.18 },
    encoding: { color, detail: { field: 'split', type: 'nominal' as const } },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle(what, runs),
    width: CURVE_SIZE.width,
    height: CURVE_SIZE.height,
    config,
    data: { values: points },
    encoding: {
      x: {
        field: 'epoch',
        type: 'quantitative',
        title: 'Epoch',
        scale: { zero: false, nice: false },
        axis: { format: 'd', tickMinStep: 1 },
      },
      // A nice domain with a tick count the axis can label keeps the top and bottom edges labelled.
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: { zero: yZero, nice: Y_TICKS },
        axis: { tickCount: Y_TICKS },
      },
    },
    layer: [line, ...(byGroup ? [band] : []), ...(withPoints ? [markers] : [])],
  };
}
