export type { ChartKind, ChartRun } from './src/types';
export { CHART_KINDS, chartCaption } from './src/registry';
export { ChartsError, type ChartsErrorCode } from './src/errors';
export { writeCharts } from './src/write';
export { groupRuns, hasRepeats, type RunGroup } from './src/groups';
export { meanStd, type MeanStd } from './src/stats';
