export type { ReportInput, ReportRun } from './src/types';
export { writeReport } from './src/write';
export { formatResults, resultRows, RESULT_FORMATS, type ResultFormat, type ResultRow } from './src/results';
export { diffResults, formatDiff, type DiffSide, type ResultsDiff, type ParamChange, type MetricChange } from './src/diff';
