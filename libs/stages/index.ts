export { runStage } from './src/run';
export { overridesText, readRuns, staleness, type Stale } from './src/runs';
