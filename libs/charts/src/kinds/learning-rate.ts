import type { TopLevelSpec } from 'vega-lite';
import { ChartsError } from '../errors';
import { groupRuns } from '../groups';
import { chartTitle, config, CURVE_SIZE, requireRuns, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';

/** Whether any run's learning rate changed from epoch to epoch (a schedule), the one case worth a chart. */
export function hasSchedule(runs: ChartRun[]): boolean {
  return runs.some((r) => new Set(r.history.epochs.map((e) => e.learningRate)).size > 1);
}

/** The learning rate of each epoch, a line per group (its seeds share the schedule), on a log scale. */
export function learningRateSpec(runs: ChartRun[]): TopLevelSpec {
  requireRuns('learning-rate', runs);
  if (!hasSchedule(runs)) throw new ChartsError('NO_SCHEDULE', "learning-rate chart: every run's rate is constant; leave 'learning-rate' out of charts -> include");
  // One run per group: seeds of a group run the same schedule.
  const groups = groupRuns(runs);
  const values = groups.flatMap((g) => g.runs[0].history.epochs.map((e) => ({ group: g.label, epoch: e.epoch, rate: e.learningRate })));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: chartTitle('learning rate per epoch', runs),
    width: CURVE_SIZE.width,
    height: CURVE_SIZE.height * 0.7,
    config,
    data: { values },
    mark: { type: 'line', point: true, tooltip: true, interpolate: 'step-after' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'Epoch', scale: { zero: false, nice: false }, axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'rate', type: 'quantitative', title: 'Learning rate', scale: { type: 'log' } },
      ...(groups.length > 1 && { color: { field: 'group', type: 'nominal', title: 'Group', sort: groups.map((g) => g.label), scale: { scheme: 'tableau10' } } }),
    },
  };
}

export const learningRate: ChartDefinition = { title: 'Learning rate per epoch', applies: hasSchedule, spec: learningRateSpec };
