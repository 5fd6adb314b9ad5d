/** Helpers for tests that need IDX files or image folders on disk, or the dataset files a source finds. */
export { tempDir, writeIdxDataset, syntheticParts, defaultedTransforms, writeMnistImages, type Part, type ImageFolderOptions } from './src/fixture';
export { readIdx } from './src/idx';
export { locateSource, FASHION_MNIST_CLASSES } from './src/sources';
export { workspaceDataDir } from './src/file-hashes';
