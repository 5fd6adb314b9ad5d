import type { TopLevelSpec } from 'vega-lite';
import type { Metrics } from '../../../artifacts';
import { ChartsError } from '../errors';
import { chartTitle, config, CONFUSION_SIZE, requireMetrics, requireRuns, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';

/** One cell of a confusion matrix. */
export interface ConfusionCell {
  run: string;
  actual: string;
  predicted: string;
  count: number;
  /** The cell is dark enough that its count is written in white. */
  dark: boolean;
}

/**
 * Position on the colour scale from which a 'blues' cell takes white text: there white and
 * near-black text have about the same contrast (4.6:1); below it black reads better, above it white.
 */
const DARK_FROM = 0.73;

/** classes x classes cells, rows (true class) outer, in class order. */
export function confusionCells(name: string, metrics: Metrics): ConfusionCell[] {
  const { classes, confusion } = metrics;
  const n = classes.length;
  if (confusion.length !== n || confusion.some((row) => row.length !== n)) {
    const shape = `[${confusion.length}][${confusion.map((r) => r.length).join('|')}]`;
    throw new ChartsError(
      'BAD_CONFUSION',
      `confusion chart: run '${name}' has ${n} classes but a confusion matrix of shape ${shape}`,
    );
  }
  const max = maxCount(metrics);
  return confusion.flatMap((row, t) =>
    row.map((count, p) => ({
      run: name,
      actual: classes[t],
      predicted: classes[p],
      count,
      dark: colourPosition(count, max) > DARK_FROM,
    })),
  );
}

/** Test-set confusion matrix per run: true class rows, predicted class columns, counts written in the cells. */
export function confusionSpec(runs: ChartRun[]): TopLevelSpec {
  requireRuns('confusion', runs);
  requireMetrics('confusion', runs);
  if (runs.length === 1) {
    const r = runs[0];
    const m = r.metrics as Metrics;
    return {
      $schema: VEGA_LITE_SCHEMA,
      config,
      title: chartTitle(`confusion matrix, ${groupThousands(m.samples)} test images`, runs),
      ...matrix(r.name, m),
    };
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    config,
    title: chartTitle('confusion matrices, test set', runs),
    // Two per row keeps the picture near the width of the curve charts.
    columns: 2,
    concat: runs.map((r) => ({ title: { text: r.name, fontSize: 13 }, ...matrix(r.name, r.metrics as Metrics) })),
    // Test sets may differ in size between runs; each matrix gets its own colour legend.
    resolve: { scale: { color: 'independent' } },
  };
}

function maxCount(metrics: Metrics): number {
  return Math.max(1, ...metrics.confusion.flat());
}

/**
 * Where a count falls on the colour scale, as Vega's symlog scale places it. A log-like scale because
 * the diagonal holds nearly all images: on a linear one every misclassification would look white.
 */
function colourPosition(count: number, max: number): number {
  return Math.log1p(count) / Math.log1p(max);
}

/** 0, 1, 10, 100, ... up to `max`, and `max` itself when far from the last power: evenly spaced on the log-like scale, unlike Vega's linear ticks. */
function legendValues(max: number): number[] {
  const values = [0];
  for (let p = 1; p <= max; p *= 10) values.push(p);
  if (max > 2 * values[values.length - 1]) values.push(max);
  return values;
}

/** 9892 -> "9,892" (en-US, in every Node build, so the same everywhere). */
export const groupThousands = (n: number): string => n.toLocaleString('en-US');

function matrix(name: string, metrics: Metrics) {
  const { classes } = metrics;
  const cell = CONFUSION_SIZE / classes.length;
  const longest = Math.max(...classes.map((c) => c.length));
  return {
    width: CONFUSION_SIZE,
    height: CONFUSION_SIZE,
    data: { values: confusionCells(name, metrics) },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal' as const,
        sort: classes,
        title: 'Predicted class',
        axis: { labelAngle: longest > 3 ? -40 : 0, labelLimit: 120 },
      },
      y: { field: 'actual', type: 'nominal' as const, sort: classes, title: 'True class', axis: { labelLimit: 120 } },
    },
    layer: [
      {
        mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative' as const,
            title: 'Images (log scale)',
            scale: { type: 'symlog' as const, scheme: 'blues', domain: [0, maxCount(metrics)] },
            legend: { values: legendValues(maxCount(metrics)), format: ',d' },
          },
        },
      },
      {
        mark: { type: 'text' as const, fontSize: Math.max(8, Math.min(12, Math.floor(cell / 3.2))) },
        encoding: {
          text: { field: 'count', type: 'quantitative' as const, format: 'd' },
          color: { condition: { test: 'datum.dark', value: 'white' }, value: '#1a1a1a' },
        },
      },
    ],
  };
}

export const confusion: ChartDefinition = { title: 'Confusion matrix, test set', applies: () => true, spec: confusionSpec };
