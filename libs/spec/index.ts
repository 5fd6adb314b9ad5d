export type * from './src/config';
export { loadPipeline, parsePipeline, PIPELINE_NAME, type LoadedPipeline } from './src/load';
export { SpecError, formatProblem, type Problem } from './src/errors';
