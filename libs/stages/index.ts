export { runStage } from './src/run';
export { filesNow, overridesText, readRuns, staleness, type Stale } from './src/runs';
