import { createHash } from 'node:crypto';
import type { Dataset } from '../../pipeline-schema';
import type { ResolvedDataset } from './config';
import { DataError } from './errors';
import { locateImages, type SourceOptions } from './sources';

/**
 * What an image source's files look like on disk, without reading them: the listing (every file's path and
 * label) and each file's size, modification and status-change times in nanoseconds, hashed. Adding,
 * removing, renaming or writing any file changes it (a write sets both times; the status-change time
 * cannot be set back, so even an edit that restores the modification time shows). For the data stage's
 * cache key: a folder whose fingerprint did not change is replayed without decoding a file.
 * Undefined for IDX sources, whose files are part of no key.
 */
export function datasetFingerprint(config: Dataset, options: SourceOptions): { digest: string; files: number } | undefined {
  let located: ReturnType<typeof locateImages>;
  try {
    located = locateImages(config as ResolvedDataset, options);
  } catch (e) {
    // The data stage then runs and says what is wrong, in its own words.
    if (e instanceof DataError) return { digest: createHash('sha256').update(`refused: ${e.message}`).digest('hex').slice(0, 24), files: 0 };
    throw e;
  }
  if (!located) return undefined;
  const { listing } = located;
  const hash = createHash('sha256');
  const { root } = listing;
  hash.update(`${root.path}\0${root.size}\0${root.mtimeNs}\0${root.ctimeNs}\n`);
  const files = [...listing.train, ...(listing.test ?? [])];
  for (const f of files) hash.update(`${f.path}\0${f.label}\0${f.size}\0${f.mtimeNs}\0${f.ctimeNs}\n`);
  return { digest: hash.digest('hex').slice(0, 24), files: files.length };
}
