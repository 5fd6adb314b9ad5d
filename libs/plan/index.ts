export { planPipeline, fingerprint, type Plan, type Stage, type StageKind } from './src/plan';
export { stageCode } from './src/code';
