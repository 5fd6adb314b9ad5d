import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError } from './errors';

/** A file as a listing found it: its path and the stat that tells whether it may have changed since it was hashed. */
export interface StatedFile {
  path: string;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/**
 * A file whose status changed within this long of being hashed may change again with the same size and
 * times (file times come from a clock that ticks every few milliseconds, every 2 s on some filesystems): its
 * hash is not kept, as git re-reads "racily clean" files. Every write sets the status-change time.
 */
const RACY_NS = 2_000_000_000n;

const HEADER = 'trainyard file hashes 1';

/**
 * Nx's workspace data folder (`.nx/workspace-data`, or NX_WORKSPACE_DATA_DIRECTORY as Nx reads it), where Nx
 * keeps its own hashes of the workspace's files: per checkout, never tracked, cleared by `nx reset`.
 */
export function workspaceDataDir(workspace: string, env: Record<string, string | undefined> = process.env): string {
  return resolve(workspace, env.NX_WORKSPACE_DATA_DIRECTORY ?? env.NX_PROJECT_GRAPH_CACHE_DIRECTORY ?? join('.nx', 'workspace-data'));
}

/** The file that keeps the hashes of the files under `root` (a dataset's folder or CSV file). */
export function fileHashStore(workspace: string, root: string): string {
  return join(workspaceDataDir(workspace), 'trainyard-file-hashes', `${createHash('sha256').update(root).digest('hex').slice(0, 16)}.tsv`);
}

/**
 * The sha256 of each file's bytes, in order. A file whose size, modification and status-change times (ns)
 * are those it had when last hashed is not read again: `store` keeps each hash with that stat, so a check of
 * an untouched folder only stats its files; a file touched but unchanged is read again and hashes as before.
 * Rewritten when a file was hashed anew or is gone; a store that cannot be read or written costs time, never
 * a wrong hash.
 */
export function contentHashes(files: readonly StatedFile[], store: string, now = BigInt(Date.now()) * 1_000_000n): string[] {
  const known = readStore(store);
  const kept = new Map<string, string>();
  let changed = false;
  const hashes = files.map((f) => {
    const entry = `${f.size}\t${f.mtimeNs}\t${f.ctimeNs}\t${f.path}`;
    let hash = known.get(entry);
    if (hash !== undefined) {
      kept.set(entry, hash);
      return hash;
    }
    hash = sha256(f.path);
    // A name with a tab or a line break cannot be a line of the store: hashed every time instead.
    if (now - f.ctimeNs >= RACY_NS && !/[\t\n\r]/.test(f.path)) {
      kept.set(entry, hash);
      changed = true;
    }
    return hash;
  });
  if (changed || kept.size < known.size) writeStore(store, kept);
  return hashes;
}

function sha256(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (e) {
    throw new DataError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
}

/** `size\tmtimeNs\tctimeNs\tpath` -> hash, from lines `hash\tsize\tmtimeNs\tctimeNs\tpath`: one lookup per file, no parsing. */
function readStore(store: string): Map<string, string> {
  const known = new Map<string, string>();
  let lines: string[];
  try {
    lines = readFileSync(store, 'utf8').split('\n');
  } catch {
    return known;
  }
  if (lines[0] !== HEADER) return known;
  for (let i = 1; i < lines.length; i++) {
    const tab = lines[i].indexOf('\t');
    if (tab > 0) known.set(lines[i].slice(tab + 1), lines[i].slice(0, tab));
  }
  return known;
}

function writeStore(store: string, entries: Map<string, string>): void {
  const lines = [HEADER];
  for (const [entry, hash] of entries) lines.push(`${hash}\t${entry}`);
  try {
    mkdirSync(dirname(store), { recursive: true });
    // Whole or not at all: other processes (Nx's plugin, stages) may read or write it at the same time.
    const tmp = `${store}.${process.pid}.tmp`;
    writeFileSync(tmp, lines.join('\n') + '\n');
    renameSync(tmp, store);
  } catch {
    // A read-only workspace: the next check hashes the files again.
  }
}
