export type { Misclassified, MisclassifiedFile, DataManifest, SplitInfo, EpochRecord, History, RunInfo, RunStatus, Metrics, ParityResult, ProbeFile } from './src/types';
export { stageDir, pipelineDir, artifactsRoot } from './src/paths';
export { writeStage, readJson, StageBusyError } from './src/stage-dir';
export { writeWeights, readWeights, type Weights } from './src/weights';
