export type { ChartLink, ReportInput, ReportRun } from './src/types';
export { renderReport } from './src/report';
export { findCharts, writeReport } from './src/write';
