export type { ReportInput, ReportRun } from './src/types';
export { writeReport } from './src/write';
