/**
 * Datasets for Trainyard pipelines: IDX files (MNIST, Fashion-MNIST or any) read, split and
 * transformed into float32 NHWC arrays, and the manifest that records what was built.
 */
export type { IdxArray, IdxKind } from './src/idx';
export type { FileRole, SourceFiles, SourceName, SourceOptions } from './src/sources';
export type { TrainSplitOptions } from './src/split';
export type { ImageBatch, ImageShape, Placement, SplitName, TransformOp } from './src/transforms/types';
export type { DataFile, LoadedDataset, LoadOptions, Split } from './src/types';
export type { ResolvedDataset } from './src/config';
export { DataError } from './src/errors';
export { encodeIdx, isGzip, parseIdx, readIdx } from './src/idx';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  FASHION_MNIST_ENV,
  FILE_ROLES,
  IDX_FILE_NAMES,
  MNIST_CLASSES,
  locateSource,
  resolveClasses,
} from './src/sources';
export { shuffledIndices, splitTrainValidation, testIndices } from './src/split';
export { pad } from './src/transforms/pad';
export { normalize } from './src/transforms/normalize';
export { noise } from './src/transforms/noise';
export { applyTransforms, describePreprocessing, transformedShape, withTransformDefaults } from './src/transforms/apply';
export { withDatasetDefaults } from './src/config';
export { loadDataset } from './src/load';
export { describeDataset, describeSplit } from './src/describe';
