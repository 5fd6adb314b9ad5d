import { createHash } from 'node:crypto';
import { dirname, relative, sep } from 'node:path';
import type { Dataset } from '../../pipeline-schema';
import type { ResolvedDataset } from './config';
import { DataError } from './errors';
import { contentHashes, fileHashStore } from './file-hashes';
import { locateImages, type SourceOptions } from './sources';

/**
 * What an image source's files hold: the classes, every file's split, path (relative to the folder, or to
 * the CSV file's folder), label and the sha256 of its bytes, and for csv the CSV file's, hashed. Adding,
 * removing, renaming or editing any file changes it; touching one does not, and neither do where the folder
 * lies or the machine: a fresh clone elsewhere with the same files gets the same digest. The bytes are read
 * once per file; later checks only stat the files (contentHashes keeps each hash with the stat it had, in
 * Nx's workspace data folder). For the data stage's cache key and the lineage of what it makes.
 * Undefined for IDX sources, whose files are part of no key.
 */
export function datasetFingerprint(config: Dataset, options: SourceOptions): { digest: string; files: number } | undefined {
  try {
    const located = locateImages(config as ResolvedDataset, options);
    if (!located) return undefined;
    const { listing } = located;
    const { root } = listing;
    const base = config.source === 'csv' ? dirname(root.path) : root.path;
    const files = [...listing.train.map((f) => ({ split: 'train', f })), ...(listing.test ?? []).map((f) => ({ split: 'test', f }))];
    const stated = config.source === 'csv' ? [root, ...files.map(({ f }) => f)] : files.map(({ f }) => f);
    const hashes = contentHashes(stated, fileHashStore(options.workspace, root.path));
    const hash = createHash('sha256').update(`classes\t${JSON.stringify(listing.classes)}\n`);
    if (config.source === 'csv') hash.update(`csv\t${hashes.shift()}\n`);
    const inside = base + sep;
    // Paths as the listing joined them under `base`; relative() only for what does not start with it.
    const rel = (path: string) => (path.startsWith(inside) ? path.slice(inside.length) : relative(base, path));
    files.forEach(({ split, f }, i) => hash.update(`${split}\t${sep === '/' ? rel(f.path) : rel(f.path).split(sep).join('/')}\t${f.label}\t${hashes[i]}\n`));
    return { digest: hash.digest('hex').slice(0, 24), files: files.length };
  } catch (e) {
    // The data stage then runs and says what is wrong, in its own words.
    if (e instanceof DataError) return { digest: createHash('sha256').update(`refused: ${e.message}`).digest('hex').slice(0, 24), files: 0 };
    throw e;
  }
}
