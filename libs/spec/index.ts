export type * from './src/config';
export { loadPipeline, parsePipeline, withDefaults, PIPELINE_NAME, type LoadedPipeline, type LoadedRun, type ResolvedPipeline, type ResolvedTraining, type SectionName } from './src/load';
export { SpecError, formatProblem, type Problem } from './src/errors';
export { modelFormProblems, resolveMlps, type Matched } from './src/mlp';
export { PROFILES } from './src/profiles';
