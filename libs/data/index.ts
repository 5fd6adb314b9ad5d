/**
 * Datasets for Trainyard pipelines: IDX files (MNIST, Fashion-MNIST or any) and folders or CSV files of
 * images read, split and transformed into float32 NHWC arrays, and the manifest that records what was built.
 */
export { SOURCES, type SourceName } from './src/sources';
export type { ImageShape } from './src/transforms/types';
export { transformedShape } from './src/transforms/apply';
export type { DataFile, LoadedDataset, LoadOptions, Split } from './src/types';
export { DataError } from './src/errors';
export { loadDataset } from './src/load';
export { describeDataset } from './src/describe';
export { datasetFingerprint } from './src/fingerprint';
export { channelsFirst } from './src/layout';
export { shuffled } from './src/split';
