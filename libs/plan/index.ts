export { planPipeline, fingerprint, type Plan, type RunRef, type Stage, type StageKind } from './src/plan';
export { stageCode } from './src/code';
export { lineageFiles, stageKey, stageLineage, type StageFiles } from './src/key';
export { runCost, shardPlan, type Shard, type ShardRun } from './src/shard';
