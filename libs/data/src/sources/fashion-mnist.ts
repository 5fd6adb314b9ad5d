import { resolve } from 'node:path';
import type { DatasetSource } from './types';

/** In label order, as published with the dataset (zalandoresearch/fashion-mnist). */
export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export const FASHION_MNIST_ENV = 'TRAINYARD_FASHION_MNIST_DIR';
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST from Debian's dataset-fashion-mnist, or a folder named by TRAINYARD_FASHION_MNIST_DIR. */
export const fashionMnist: DatasetSource = {
  pathIs: 'a directory holding the IDX files',
  classes: FASHION_MNIST_CLASSES,
  shape: [1, 28, 28],
  defaultDir: (env, workspace) => {
    const fromEnv = env[FASHION_MNIST_ENV];
    return fromEnv ? { dir: resolve(workspace, fromEnv), origin: FASHION_MNIST_ENV } : { dir: FASHION_MNIST_DEFAULT_DIR, origin: 'default location' };
  },
  remedy: (_, wanted) => `Get it with \`apt-get install dataset-fashion-mnist\`, or set dataset.path or ${FASHION_MNIST_ENV} to a directory holding ${wanted}.`,
};
