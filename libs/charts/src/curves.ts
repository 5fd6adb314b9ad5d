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

/** Legend entries drawn as short line segments. */
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

/** Marker shapes of the splits: the split shows where a run has too few epochs for a line (and its dash) to show it. */
const SPLIT_SHAPES = { train: 'triangle-up', validation: 'circle' } as const;

/** Dash of each split's line where colour tells the runs apart. */
const SPLIT_DASHES: Record<Split, number[]> = { train: [6, 4], validation: [1, 0] };

/** Markers where no line is drawn (no run has a second epoch). */
const LONE_POINT_SIZE = 80;

/** The split's legend entries where colour is the run's. */
const SPLIT_GREY = '#444444';

/**
 * The split legend's symbols where lines are drawn, as Vega custom shapes (SVG paths in a [-1, 1] square, drawn
 * `SPLIT_SYMBOL_WIDTH` pixels wide): each split's line, the train one dashed 6, 4 where runs are told apart by
 * colour, with its marker on it where markers are drawn.
 */
const SPLIT_SYMBOL_WIDTH = 24;
const SYMBOL_PATHS = {
  solid: 'M-1,0H1',
  // 12 pixels a unit: dash 6, gap 4, dash 6, gap 4, dash.
  dashed: 'M-1,0H-0.5M-0.167,0H0.333M0.667,0H1',
  // Dash 6, gap, the marker, gap, dash 6.
  dashedAroundMarker: 'M-1,0H-0.5M0.5,0H1',
  triangle: 'M0,-0.27L0.3,0.23H-0.3Z',
  circle: 'M0.23,0A0.23,0.23 0 1 1 -0.23,0A0.23,0.23 0 1 1 0.23,0Z',
} as const;

/** The split legend's entries: its symbols' shapes and size. Where no line is drawn, the markers as drawn. */
function splitLegend(o: { lines: boolean; markers: boolean; dashed: boolean }): { shapes: Record<Split, string>; legend: { symbolSize: number; symbolStrokeWidth: number } } {
  if (!o.lines) return { shapes: { ...SPLIT_SHAPES }, legend: { symbolSize: LONE_POINT_SIZE, symbolStrokeWidth: 0 } };
  const marker = { train: SYMBOL_PATHS.triangle, validation: SYMBOL_PATHS.circle };
  const line = (split: Split) => (!o.dashed || split === 'validation' ? SYMBOL_PATHS.solid : o.markers ? SYMBOL_PATHS.dashedAroundMarker : SYMBOL_PATHS.dashed);
  const shape = (split: Split) => line(split) + (o.markers ? marker[split] : '');
  return { shapes: { train: shape('train'), validation: shape('validation') }, legend: { symbolSize: SPLIT_SYMBOL_WIDTH ** 2, symbolStrokeWidth: 2.5 } };
}

/** A value per split, by a test on the datum: no scale, so no legend of its own (the legend layer draws the split's). */
const bySplit = <T>(values: Record<Split, T>) => ({ condition: { test: "datum.split === 'train'", value: values.train }, value: values.validation });

/**
 * Lines per epoch. One run: colour tells train from validation. Several runs: colour tells
 * the runs apart and the dash the split (validation solid, train dashed). Runs repeated over
 * seeds: colour tells the groups apart, each group's line its mean over seeds in a band of ± 1
 * standard deviation, so 9 runs of 3 groups show 3 lines per split. Wherever markers are drawn,
 * their shape tells the split too (train a triangle, validation a circle), and the legend shows
 * each split's line with its marker; where no run has a second epoch there is no line at all, so
 * the markers are larger and the legend shows them alone.
 */
export function curveSpec({ what, runs, points, yTitle, yZero }: CurveSpecArgs): TopLevelSpec {
  const single = runs.length === 1;
  const groups = groupRuns(runs);
  const byGroup = hasRepeats(groups);
  const longest = Math.max(...runs.map((r) => r.history.epochs.length));
  const withPoints = longest <= MAX_EPOCHS_WITH_POINTS;
  // One epoch: a line needs two points, so the markers are all there is to see.
  const lone = longest === 1;
  // Thinner lines and smaller markers keep overlapping seeds apart.
  const crowded = runs.length > CROWDED_FROM;
  const splitScale = { domain: [...SPLITS] };
  const split = splitLegend({ lines: !lone, markers: withPoints, dashed: !single });
  const color = single
    ? {
        field: 'split',
        type: 'nominal' as const,
        title: 'Split',
        scale: { ...splitScale, range: [SPLIT_COLORS.train, SPLIT_COLORS.validation] },
        // Drawn by the legend layer's symbols, merged with its shapes (the same field).
        legend: split.legend,
      }
    : {
        field: byGroup ? 'group' : 'run',
        type: 'nominal' as const,
        title: byGroup ? 'Group' : 'Run',
        sort: byGroup ? groups.map((g) => g.label) : runs.map((r) => r.name),
        scale: { scheme: 'tableau10' },
        // Run and group labels list what a sweep changed, e.g. "dropout, learning-rate=0.01".
        legend: { ...(lone ? { symbolType: 'circle', symbolSize: LONE_POINT_SIZE, symbolStrokeWidth: 0 } : LINE_LEGEND), labelLimit: LONG_LABEL_LIMIT },
      };
  // In a page (report.html), a click on a legend entry keeps its runs and fades the others; a static image shows all.
  const pick = single ? undefined : { name: 'pick', select: { type: 'point' as const, fields: [color.field] }, bind: 'legend' as const };
  const opacity = pick ? { opacity: { condition: { param: pick.name, value: 1 }, value: 0.12 } } : {};
  // The selection sits on the first layer, whose legend the chart shows (bound there, it toggles).
  // Runs repeated over seeds: one line per group and split at the mean over its seeds, in a band of ± 1 standard deviation.
  const mean = byGroup ? { y: { field: 'value', type: 'quantitative' as const, aggregate: 'mean' as const } } : {};
  const line = {
    ...(pick && { params: [pick] }),
    mark: { type: 'line' as const, strokeWidth: crowded && !byGroup ? 1.5 : 2 },
    // Several runs: a line per run (or group) and split, dashed by split.
    encoding: single ? { color } : { color, ...opacity, ...mean, detail: { field: 'split', type: 'nominal' as const }, strokeDash: bySplit(SPLIT_DASHES) },
  };
  // Markers sit in a layer of their own, each split's shape by a test (no scale, no legend of its own).
  // A tooltip of their own: with a selection in the chart, Vega-Lite leaves layers without one deaf to the pointer.
  // Several runs: the split as detail names it in the tooltip (and keeps the splits apart in a group's mean); one run's colour does both.
  const size = lone ? LONE_POINT_SIZE : crowded && !byGroup ? 16 : 36;
  const markers = {
    mark: { type: 'point' as const, filled: true, size, opacity: 1, tooltip: true },
    encoding: { color, ...opacity, ...mean, shape: bySplit<string>(SPLIT_SHAPES), ...(!single && { detail: { field: 'split', type: 'nominal' as const } }) },
  };
  // The split's legend, drawn by a layer of no marks: its shape scale maps each split to its legend symbol.
  const legend = {
    transform: [{ filter: 'false' }],
    mark: { type: 'point' as const, filled: true, opacity: 1 },
    encoding: {
      ...(single && { color }),
      shape: {
        field: 'split',
        type: 'nominal' as const,
        title: 'Split',
        scale: { ...splitScale, range: [split.shapes.train, split.shapes.validation] },
        // One run: the colour scale's; several: grey, the colour being the run's.
        legend: single ? split.legend : { ...split.legend, encoding: { symbols: { fill: { value: SPLIT_GREY }, stroke: { value: SPLIT_GREY }, opacity: { value: 1 } } } },
      },
    },
  };
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
    layer: [line, ...(byGroup ? [band] : []), ...(withPoints ? [markers] : []), legend],
  };
}
