export { useBackend } from './src/backend';
export { train, evaluate, type Estimate, type Split, type TrainOptions, type TrainResult } from './src/trainer';
export { buildModel, type TrainableModel } from './src/model';
export { duration, makeProgress, type Progress } from './src/progress';
export { makeTrainStep, type TrainStep } from './src/step';
export { startWorkers } from './src/parallel';
export { makeAugment, type AugmentSlice, type AugmentSpec } from './src/augment';
