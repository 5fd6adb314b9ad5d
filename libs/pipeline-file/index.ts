/**
 * Reading a pipeline file: YAML with `extends`, profiles and overrides merged, checked against the
 * schema and against the model graph and dataset it declares, and expanded into runs. Every problem is
 * reported at its file:line:column.
 */
export { loadPipeline, parsePipeline, PIPELINE_NAME, type LoadedPipeline, type LoadedRun, type ResolvedPipeline } from './src/load';
export { PipelineError, formatProblem, type Problem } from './src/errors';
export { modelFormProblems, resolveMlps, type Matched } from './src/mlp';
export { PROFILES } from './src/profiles';
