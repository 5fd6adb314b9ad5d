export { runStage } from './src/run';
export { readRuns } from './src/runs';
