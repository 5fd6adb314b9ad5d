import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { Dataset } from '../../pipeline-schema';
import { resolved } from './config';
import { DataError } from './errors';
import { type IdxArray, type IdxKind, parseIdx, readBytes } from './idx';
import { loadImages } from './images';
import { type FileRole, locateImages, locateSource, resolveClasses } from './sources';
import { splitTrainValidation, testIndices } from './split';
import { transformedShape } from './transforms/apply';
import { materialize } from './transforms/materialize';
import type { ImageShape, SplitName } from './transforms/types';
import type { DataFile, LoadedDataset, LoadOptions, Split } from './types';

function shownPath(file: string, workspace: string): string {
  const rel = relative(workspace, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

/** IDX images are [N, H, W] (one channel) or [N, H, W, C]. */
function shapeOf(images: IdxArray): ImageShape {
  const [, h, w, c = 1] = images.dims;
  return [c, h, w];
}

function checkPair(images: IdxArray, labels: IdxArray, imagesPath: string, labelsPath: string): void {
  if (images.dims[0] === 0) throw new DataError(`${imagesPath} holds no images`);
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataError(`${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels`);
  }
}

function maxOf(bytes: Uint8Array): number {
  let max = -1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > max) max = bytes[i];
  return max;
}

function pick(labels: Uint8Array, indices: number[]): Uint8Array {
  const out = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = labels[indices[k]];
  return out;
}

/**
 * Reads the dataset a pipeline declares, splits it and applies its transforms. `config` has the
 * schema's defaults filled in (loadPipeline, or withDefaults('Dataset', ...) from libs/pipeline-schema).
 * IDX files are read synchronously (bound by memory bandwidth); image files are decoded on every core.
 */
export async function loadDataset(config: Dataset, options: LoadOptions): Promise<LoadedDataset> {
  const cfg = resolved(config);
  const images = locateImages(cfg, options);
  if (images) return loadImages(cfg, images.listing, images.where, (path) => shownPath(path, options.workspace), options.log);
  return loadIdx(cfg, options);
}

function loadIdx(cfg: ReturnType<typeof resolved>, options: LoadOptions): LoadedDataset {
  const located = locateSource(cfg, options);
  const files: DataFile[] = [];
  const read = (role: FileRole, kind: IdxKind): IdxArray => {
    const path = located.files[role];
    const bytes = readBytes(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files.push({ role, path: shownPath(path, options.workspace), sha256 });
    return parseIdx(bytes, path, kind);
  };
  const trainImages = read('train-images', 'images');
  const trainLabels = read('train-labels', 'labels');
  const testImages = read('test-images', 'images');
  const testLabels = read('test-labels', 'labels');
  checkPair(trainImages, trainLabels, located.files['train-images'], located.files['train-labels']);
  checkPair(testImages, testLabels, located.files['test-images'], located.files['test-labels']);

  const sourceShape = shapeOf(trainImages);
  const testShape = shapeOf(testImages);
  if (testShape.join() !== sourceShape.join()) {
    throw new DataError(
      `${located.files['test-images']} holds ${testShape.join('x')} images (CxHxW) but ${located.files['train-images']} holds ${sourceShape.join('x')}`,
    );
  }
  const [trainMax, testMax] = [maxOf(trainLabels.data), maxOf(testLabels.data)];
  const highest = trainMax >= testMax ? located.files['train-labels'] : located.files['test-labels'];
  const classes = resolveClasses(cfg.source, cfg.classes, Math.max(trainMax, testMax), highest);
  // checked before any pixel is touched, so a bad transform fails fast
  const imageShape = transformedShape(sourceShape, cfg.transforms);

  const split = splitTrainValidation(trainImages.dims[0], {
    validation: cfg.validation,
    seed: cfg['split-seed'],
    limit: cfg.limit?.train,
  });
  const build = (name: SplitName, images: IdxArray, labels: IdxArray, indices: number[]): Split => {
    const out = materialize(images.data, indices, sourceShape, cfg.transforms, name);
    return { images: out.data, labels: pick(labels.data, indices), count: indices.length, indices };
  };
  return {
    source: cfg.source,
    classes,
    imageShape,
    sourceShape,
    train: build('train', trainImages, trainLabels, split.train),
    validation: build('validation', trainImages, trainLabels, split.validation),
    test: build('test', testImages, testLabels, testIndices(testImages.dims[0], cfg.limit?.test)),
    files,
  };
}
