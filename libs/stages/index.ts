export { runStage } from './src/run';
