import { createHash } from 'node:crypto';
import type { DataManifest, SplitInfo } from '../../artifacts';
import type { Dataset } from '../../pipeline-schema';
import { resolved } from './config';
import { DataError } from './errors';
import { describePreprocessing, preprocessingSteps, transformedShape } from './transforms/apply';
import type { LoadedDataset, Split } from './types';

/** Count, per-class counts and a digest of the transformed images (float32 bytes, little-endian on every platform Node runs on) and labels. */
export function describeSplit(split: Split, classCount: number): SplitInfo {
  const classCounts = new Array<number>(classCount).fill(0);
  for (let i = 0; i < split.labels.length; i++) classCounts[split.labels[i]]++;
  const images = new Uint8Array(split.images.buffer, split.images.byteOffset, split.images.byteLength);
  const sha256 = createHash('sha256').update(images).update(split.labels).digest('hex');
  return { count: split.count, classCounts, sha256 };
}

/** The manifest the data stage writes: what was read, the splits, and how a consumer preprocesses raw pixels. `config` as for loadDataset. */
export function describeDataset(loaded: LoadedDataset, config: Dataset): DataManifest {
  const cfg = resolved(config);
  const shape = transformedShape(loaded.sourceShape, cfg.transforms);
  if (shape.join() !== loaded.imageShape.join()) {
    throw new DataError(`the dataset was loaded with other transforms: images are ${loaded.imageShape.join('x')}, the config gives ${shape.join('x')}`);
  }
  const n = loaded.classes.length;
  return {
    source: cfg.source,
    files: loaded.files.map(({ role, path, sha256 }) => ({ role, path, sha256 })),
    classes: [...loaded.classes],
    imageShape: [...loaded.imageShape],
    splits: {
      train: describeSplit(loaded.train, n),
      validation: describeSplit(loaded.validation, n),
      test: describeSplit(loaded.test, n),
    },
    transforms: cfg.transforms,
    sourceShape: loaded.sizesVary ? [loaded.sourceShape[0], null, null] : [...loaded.sourceShape],
    steps: preprocessingSteps(loaded.sourceShape, cfg.transforms),
    preprocessing: describePreprocessing(loaded.sourceShape, cfg.transforms),
  };
}
