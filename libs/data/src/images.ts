import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import seedrandom from 'seedrandom';
import type { ResolvedDataset, ResolvedTransform } from './config';
import { decodeImages } from './decode';
import { DataError } from './errors';
import type { ImageFile, ImageListing } from './sources/types';
import { shuffled, splitTrainValidation, testIndices } from './split';
import { applyTransforms, inTransform, transformedShape } from './transforms/apply';
import type { ImageShape, SplitName } from './transforms/types';
import type { DataFile, LoadedDataset, Split } from './types';

/** The files of each split: the data's own test split, or `dataset.test` of the training files held out (seeded). */
export function imageSplits(listing: ImageListing, cfg: ResolvedDataset, where: string): { train: ImageFile[]; test: ImageFile[] } {
  // Test files in a seeded order, so that `limit.test` takes some of every class rather than the first folders.
  const order = (n: number) => shuffled(n, seedrandom(`test:${cfg['split-seed']}`));
  if (listing.test !== undefined) {
    if (cfg.test !== undefined) throw new DataError(`dataset.test is ${cfg.test}, but ${where} has a test split of its own; remove dataset.test`);
    return { train: listing.train, test: Array.from(order(listing.test.length), (i) => listing.test![i]) };
  }
  if (cfg.test === undefined) {
    const own = cfg.source === 'folder' ? 'train/ and test/ folders' : 'a split column (dataset.columns.split)';
    throw new DataError(`${where} has no test split of its own (no ${own}): set dataset.test to the fraction of the images to hold out for testing, e.g. 0.2`);
  }
  const n = listing.train.length;
  const held = Math.round(n * cfg.test);
  if (held < 1 || held >= n) throw new DataError(`dataset.test ${cfg.test} of ${n} images leaves ${held < 1 ? 'no test' : 'no training'} images`);
  const shuffledOrder = order(n);
  const test = shuffledOrder.subarray(n - held);
  const kept = new Set(test);
  return { train: listing.train.filter((_, i) => !kept.has(i)), test: Array.from(test, (i) => listing.train[i]) };
}

/** Transforms up to the first that depends on the split (noise) run on each image as it is decoded; the rest on each split. */
function perImageCount(cfg: ResolvedDataset): number {
  const transforms: readonly ResolvedTransform[] = cfg.transforms;
  const i = transforms.findIndex((t, k) => inTransform(t, k, (op) => op.skips !== undefined));
  return i < 0 ? cfg.transforms.length : i;
}

/** The first file and the first of another size, if any. */
function twoSizes(sizes: [number, number][]): [number, number] | undefined {
  const other = sizes.findIndex((s) => s[0] !== sizes[0][0] || s[1] !== sizes[0][1]);
  return other < 0 ? undefined : [0, other];
}

/** Reads an image source (folder, csv): lists, splits, decodes the files it uses, transforms. */
export async function loadImages(cfg: ResolvedDataset, listing: ImageListing, where: string, shown: (path: string) => string, log?: (line: string) => void): Promise<LoadedDataset> {
  if (cfg.channels === undefined) throw new DataError(`dataset.channels: source ${cfg.source} needs it, 1 or 3: the channels every image is converted to`);
  const channels = cfg.channels;
  const { train, test } = imageSplits(listing, cfg, where);
  const split = splitTrainValidation(train.length, { validation: cfg.validation, seed: cfg['split-seed'], limit: cfg.limit?.train });
  const testUsed = testIndices(test.length, cfg.limit?.test);
  // Only the files the splits use are decoded (a limit reads a few of many); in a fixed order.
  const used = [...new Set([...split.train, ...split.validation])].sort((a, b) => a - b);
  const files = [...used.map((i) => train[i]), ...testUsed.map((i) => test[i])];
  const transforms: readonly ResolvedTransform[] = cfg.transforms;
  const prefix = transforms.slice(0, perImageCount(cfg));
  const sizes: [number, number][] = new Array(files.length);
  const digests: string[] = new Array(files.length);
  const images = await decodeImages(
    files.map((f) => f.path),
    channels,
    (image, i) => {
      sizes[i] = [image.height, image.width];
      digests[i] = image.sha256;
      const shape: ImageShape = [channels, image.height, image.width];
      try {
        return applyTransforms({ data: image.data, count: 1, shape }, prefix, 'train').data;
      } catch (e) {
        throw e instanceof DataError ? new DataError(`${files[i].path}: ${e.message}`, { cause: e }) : e;
      }
    },
    log,
  );
  const pair = twoSizes(sizes);
  const sourceShape: ImageShape = [channels, sizes[0][0], sizes[0][1]];
  if (pair) checkMixedSizes(cfg, prefix.length, files, sizes, pair);
  const imageShape = transformedShape(sourceShape, transforms);
  const prefixShape = transformedShape(sourceShape, prefix);
  const size = prefixShape[0] * prefixShape[1] * prefixShape[2];
  const at = new Map(used.map((index, k) => [index, k]));
  const build = (name: SplitName, positions: number[], indices: number[]): Split => {
    const data = new Float32Array(positions.length * size);
    positions.forEach((p, k) => data.set(images[p], k * size));
    const labels = Uint8Array.from(positions, (p) => files[p].label);
    const out = applyTransforms({ data, count: positions.length, shape: prefixShape }, transforms, name, prefix.length);
    return { images: out.data, labels, count: positions.length, indices };
  };
  const root = listing.root.path;
  const listed = createHash('sha256');
  // What the data is: every listed file (path, label) and the bytes of those read, so an edit shows in the manifest.
  for (const f of [...listing.train, ...(listing.test ?? [])]) listed.update(`${relative(dirname(root), f.path).split(sep).join('/')}\t${f.label}\n`);
  for (const d of digests) listed.update(`${d}\n`);
  const dataFiles: DataFile[] = [];
  if (cfg.source === 'csv') dataFiles.push({ role: 'csv', path: shown(root), sha256: createHash('sha256').update(readFileSync(root)).digest('hex') });
  dataFiles.push({ role: 'images', path: shown(cfg.source === 'csv' ? dirname(root) : root), sha256: listed.digest('hex') });
  const positionsOf = (indices: number[]) => indices.map((i) => at.get(i)!);
  return {
    source: cfg.source,
    classes: listing.classes,
    imageShape,
    sourceShape,
    ...(pair && { sizesVary: true }),
    train: build('train', positionsOf(split.train), split.train),
    validation: build('validation', positionsOf(split.validation), split.validation),
    test: build('test', testUsed.map((_, k) => used.length + k), testUsed),
    files: dataFiles,
  };
}

/**
 * Images of different sizes must reach one size before they are stacked (a resize or center-crop among the
 * per-image transforms), and no pad may see them while they differ: its margins, and so the model card's
 * steps, would differ per image.
 */
function checkMixedSizes(cfg: ResolvedDataset, prefixLength: number, files: readonly ImageFile[], sizes: [number, number][], pair: [number, number]): void {
  const [a, b] = pair;
  const both = `${files[a].path} is ${sizes[a].join('x')}, ${files[b].path} is ${sizes[b].join('x')}`;
  const channels = cfg.channels!;
  let shapes = new Map<string, ImageShape>(sizes.map(([h, w]) => [`${h}x${w}`, [channels, h, w]]));
  for (let i = 0; i < prefixLength && shapes.size > 1; i++) {
    const t: ResolvedTransform = cfg.transforms[i];
    if (t.type === 'pad') throw new DataError(`dataset.transforms[${i}] (pad): the images differ in size (${both}), so its margins would differ per image; resize them first`);
    shapes = new Map([...shapes.values()].map((s) => {
      const out = transformedShape(s, [t]);
      return [out.join('x'), out];
    }));
  }
  if (shapes.size > 1) throw new DataError(`the images differ in size: ${both}; add a resize transform (dataset.transforms) before anything else that needs one size`);
}
