/** Helpers for tests that need IDX files on disk or the dataset files a source finds. */
export { tempDir, writeIdxDataset, syntheticParts, defaultedTransforms, type Part } from './src/fixture';
export { readIdx } from './src/idx';
export { locateSource, FASHION_MNIST_CLASSES } from './src/sources';
