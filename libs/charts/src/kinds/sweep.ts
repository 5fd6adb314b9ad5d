import type { TopLevelSpec } from 'vega-lite';
import type { Metrics } from '../../../artifacts';
import { ChartsError } from '../errors';
import { chartTitle, config, requireMetrics, requireRuns, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';

/** What a sweep varies: every key of the runs' values but the seed (variants, matrix keys), in first-seen order. */
export function sweptKeys(runs: ChartRun[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.run?.values ?? {})))].filter((k) => k !== 'seed');
}

/** One run's test accuracy at its swept values, under field names Vega-Lite reads as plain names (`k0`, `k1`). */
type Row = Record<string, string | number> & { accuracy: number; run: string };

const CELL = 64;
const EFFECT_SIZE = { width: 220, height: 180 };

/**
 * The sweep at a glance. For two swept keys, a heatmap of the mean test accuracy of each combination with
 * the spread over its seeds written in the cell; then, for every swept key, its main effect: each run's test
 * accuracy (a dot, seeds of one combination included) and the mean over the runs at each value (a line).
 */
export function sweepSpec(runs: ChartRun[]): TopLevelSpec {
  requireRuns('sweep', runs);
  requireMetrics('sweep', runs);
  const keys = sweptKeys(runs);
  if (keys.length === 0) throw new ChartsError('NO_SWEEP', "sweep chart: the runs vary nothing but their seed; leave 'sweep' out of charts -> include");
  const field = (i: number) => `k${i}`;
  const show = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v));
  const rows: Row[] = runs.map((r) => ({
    run: r.name,
    accuracy: (r.metrics as Metrics).accuracy * 100,
    ...Object.fromEntries(keys.map((k, i) => [field(i), show(r.run?.values?.[k]) ?? '—'])),
  }));
  const heatmap =
    keys.length === 2
      ? [
          {
            title: `Mean test accuracy (%) of each combination${runs.length > new Set(rows.map((r) => `${r.k0}\n${r.k1}`)).size ? ' ± std over seeds' : ''}`,
            width: { step: CELL * 1.6 },
            height: { step: CELL * 0.6 },
            transform: [
              { aggregate: [{ op: 'mean' as const, field: 'accuracy', as: 'mean' }, { op: 'stdev' as const, field: 'accuracy', as: 'std' }, { op: 'count' as const, as: 'n' }], groupby: [field(0), field(1)] },
              { calculate: "format(datum.mean, '.2f') + (datum.n > 1 ? ' ± ' + format(datum.std, '.2f') : '')", as: 'label' },
            ],
            encoding: {
              x: { field: field(0), type: 'ordinal' as const, title: keys[0], axis: { labelAngle: 0 } },
              y: { field: field(1), type: 'ordinal' as const, title: keys[1] },
            },
            layer: [
              { mark: { type: 'rect' as const, tooltip: true }, encoding: { color: { field: 'mean', type: 'quantitative' as const, title: 'Mean (%)', scale: { scheme: 'viridis' } } } },
              {
                mark: { type: 'text' as const, fontSize: 11 },
                encoding: {
                  text: { field: 'label', type: 'nominal' as const },
                  // Light text on the dark end of the scale.
                  color: { condition: { test: 'datum.mean < (domain("color")[0] + domain("color")[1]) / 2', value: 'white' }, value: 'black' },
                },
              },
            ],
          },
        ]
      : [];
  const effects = keys.map((key, i) => ({
    title: `Main effect of ${key}`,
    width: EFFECT_SIZE.width,
    height: EFFECT_SIZE.height,
    encoding: {
      x: { field: field(i), type: 'ordinal' as const, title: key, axis: { labelAngle: 0 } },
      y: { field: 'accuracy', type: 'quantitative' as const, title: 'Test accuracy (%)', scale: { zero: false } },
    },
    layer: [
      { mark: { type: 'point' as const, filled: true, opacity: 0.55, size: 40, tooltip: true }, encoding: { detail: { field: 'run', type: 'nominal' as const } } },
      { mark: { type: 'line' as const, point: { color: '#222222' }, color: '#222222' }, encoding: { y: { aggregate: 'mean' as const, field: 'accuracy', type: 'quantitative' as const } } },
    ],
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle('test accuracy over the sweep', runs),
    config,
    data: { values: rows },
    vconcat: [...heatmap, { hconcat: effects }],
  } as TopLevelSpec;
}

export const sweep: ChartDefinition = { title: 'The sweep: test accuracy by setting', applies: (runs) => sweptKeys(runs).length > 0, spec: sweepSpec };
