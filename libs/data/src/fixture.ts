import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { withDefaults, type Transform } from '../../pipeline-schema';
import { resolved, type ResolvedTransform } from './config';
import { encodeIdx } from './idx';
import { fileNames, type FileRole } from './sources';

/** Test helpers: small IDX datasets on disk. */

export function tempDir(prefix = 'trainyard-data-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Part {
  dims: number[];
  data: ArrayLike<number>;
}

/** Writes the given files under MNIST's names or those of `files` (with `.gz`, gzipped, when asked); returns the paths. */
export function writeIdxDataset(dir: string, parts: Partial<Record<FileRole, Part>>, gzip = false, files?: Partial<Record<FileRole, string>>): Record<string, string> {
  const names = fileNames({ files });
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const [role, part] of Object.entries(parts) as [FileRole, Part][]) {
    const bytes = encodeIdx(part.dims, part.data);
    const path = join(dir, names[role] + (gzip ? '.gz' : ''));
    writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
    paths[role] = path;
  }
  return paths;
}

/** `n` images of h x w whose first pixel is the sample number (to trace samples) and labels i % classes. */
export function syntheticParts(nTrain: number, nTest: number, h: number, w: number, classes: number): Record<FileRole, Part> {
  const images = (n: number, salt: number): Part => ({
    dims: [n, h, w],
    data: Array.from({ length: n * h * w }, (_, i) => (i % (h * w) === 0 ? Math.floor(i / (h * w)) : (i * 31 + salt) % 256)),
  });
  const labels = (n: number): Part => ({ dims: [n], data: Array.from({ length: n }, (_, i) => i % classes) });
  return { 'train-images': images(nTrain, 0), 'train-labels': labels(nTrain), 'test-images': images(nTest, 7), 'test-labels': labels(nTest) };
}

/** Transforms as a loaded pipeline holds them: the schema's defaults filled in. */
export function defaultedTransforms(transforms: Transform[]): ResolvedTransform[] {
  return resolved(withDefaults('Dataset', { source: 'idx', transforms })).transforms;
}
