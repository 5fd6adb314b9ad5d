import { readdirSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DataError } from '../errors';
import type { ImageFile } from './types';

/** `path` lies in `root` (both real paths). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep);
}

export function stat(path: string, what: string): BigIntStats {
  try {
    return statSync(path, { bigint: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${path}: cannot read ${what} (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
}

/**
 * The real path of `path`, refused when a symbolic link leads out of `root` (a real path): a dataset is
 * what its folder holds, so that its fingerprint and the files read are the same.
 */
export function realInside(root: string, path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${path}: ${code === 'ENOENT' ? 'no such file (or a broken symbolic link)' : (e as Error).message}`);
  }
  if (!isInside(root, real)) throw new DataError(`${path}: leads out of ${root} (to ${real}); a dataset's files must lie inside its folder: copy the file in instead of linking to it`);
  return real;
}

/** The files under `dir`, recursively, by sorted relative path; hidden entries (`.name`) are skipped; links are followed inside `root`. */
export function filesUnder(root: string, dir: string, label: number, seen = new Set<string>()): ImageFile[] {
  realInside(root, dir);
  const out: ImageFile[] = [];
  // Entries with their types: a link costs a realpath, any other entry nothing but its stat.
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const real = entry.isSymbolicLink() ? realInside(root, path) : path;
    const s = stat(real, 'the file');
    if (s.isDirectory()) {
      if (seen.has(real)) continue; // a link back to a folder already read
      seen.add(real);
      out.push(...filesUnder(root, path, label, seen));
    } else {
      out.push({ path, label, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs });
    }
  }
  return out;
}

export function fileOf(path: string, label: number, s: BigIntStats): ImageFile {
  return { path, label, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
}
