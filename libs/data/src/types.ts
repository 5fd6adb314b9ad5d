import type { FileRole, SourceName, SourceOptions } from './sources';
import type { ImageShape } from './transforms/types';

/** One split, images already transformed. */
export interface Split {
  /** [count, H, W, C] (NHWC; for C = 1 the same bytes as NCHW), float32. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  /** Index of each sample in its source file (train and validation: the training file, test: the test file). */
  indices: number[];
}

export interface DataFile {
  /** An IDX file's role; for image sources `images` (the folder, its digest covering every file listed and the bytes of those read) and `csv`. */
  role: FileRole | 'images' | 'csv';
  /** Relative to the workspace (with `/`) when the file lies inside it, else absolute. */
  path: string;
  /** sha256 of the file's bytes as stored (compressed if gzipped). */
  sha256: string;
}

export interface LoadedDataset {
  source: SourceName;
  classes: string[];
  /** [C, H, W] after the transforms. */
  imageShape: ImageShape;
  /** [C, H, W] as stored in the files (image sources: the channels asked for, and the first image's size). */
  sourceShape: ImageShape;
  /** Image sources whose files differ in size (a resize brought them to one): the model card's source has no fixed rows and columns. */
  sizesVary?: boolean;
  train: Split;
  validation: Split;
  test: Split;
  files: DataFile[];
}

export interface LoadOptions extends SourceOptions {
  /** Progress of long work (decoding image files), a line at a time. */
  log?: (line: string) => void;
}
