export type { Misclassified, MisclassifiedFile, DataManifest, SplitInfo, EpochRecord, History, Overrides, RunInfo, RunStatus, StageRecord, Metrics, ParityResult, ProbeFile, FeatureMap, FeaturesFile } from './src/types';
export { bestAndBaseline } from './src/best';
export { stageDir, pipelineDir, artifactsRoot, STAGE_RECORD } from './src/paths';
export { writeStage, readJson, StageBusyError } from './src/stage-dir';
export { writeWeights, readWeights, type Weights } from './src/weights';
export type { ModelCard, PreprocessingStep } from './src/model-card';
export { checkModelCard } from './src/check-model-card';
