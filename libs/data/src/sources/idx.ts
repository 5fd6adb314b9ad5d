import type { DatasetSource } from './types';

/** Any four IDX files in `dataset.path`: images of any shape, classes named by `dataset.classes` or 0..N-1. */
export const idx: DatasetSource = {
  pathIs: 'a directory holding the IDX files',
  remedy: (_, wanted) => `dataset.path must be a directory holding ${wanted}.`,
};
