import type { ResolvedDataset } from '../config';
import type { ImageShape } from '../transforms/types';

/**
 * One `dataset.source`: what it knows without reading files, and where its files are when
 * `dataset.path` does not say. A new source is one file beside this one, added to the registry in
 * ../sources.ts (keyed by the schema's source names, so the compiler asks for it).
 */
export interface DatasetSource {
  /** What `dataset.path` names for this source, for messages: `a directory holding the IDX files`. */
  pathIs: string;
  /** Class names in label order; without them a source names its classes 0..N-1 from its labels. */
  classes?: readonly string[];
  /** [C, H, W] of its images, when known before reading them (pipeline files are then checked against it). */
  shape?: ImageShape;
  /** The folder of its files when `dataset.path` is not set, and where that came from; absent when it has none (dataset.path is required). */
  defaultDir?(env: Record<string, string | undefined>, workspace: string): { dir: string; origin: string };
  /** How to get its files, given where the folder came from: appended to every "not found" message. */
  remedy(origin: string, wanted: string): string;
  /** Sources of image files (folder, csv): the files and their labels, found without decoding any. */
  list?(config: ResolvedDataset, path: string): ImageListing;
}

/** One image file of a listing and its stat, which the dataset's fingerprint hashes. */
export interface ImageFile {
  /** Absolute. */
  path: string;
  label: number;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** What an image source found: sorted files per split, and the classes. */
export interface ImageListing {
  classes: string[];
  train: ImageFile[];
  /** The data's own test split; absent when `dataset.test` holds a fraction of `train` out. */
  test?: ImageFile[];
  /** The folder `path` names, or the CSV file, with its stat: the dataset's fingerprint covers it too. */
  root: { path: string; size: bigint; mtimeNs: bigint; ctimeNs: bigint };
}
