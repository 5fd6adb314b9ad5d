/**
 * Nx asks the plugin for the projects on every command. Planning a pipeline needs the pipeline-file, plan and graph
 * libs (loaded through tsx) and validates every file: a few hundred milliseconds that most commands need
 * not pay. So, as Nx's own plugins do, the projects of each pipeline file are kept in the workspace data
 * folder with what they were computed from: the files the pipeline read (itself and what it extends),
 * the environment and machine facts its keys read, and the plugin's code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface Entry<T> {
  /** Digest of each file the result was computed from, by path. */
  files: Record<string, string>;
  result: T;
}

interface Store<T> {
  context: string;
  entries: Record<string, Entry<T>>;
}

const digest = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 24);

function fileDigest(path: string): string {
  return existsSync(path) ? digest(readFileSync(path)) : 'missing';
}

/** The libs the plugin loads to plan a pipeline file (a test checks it against their imports). */
export const PLANNING_LIBS = ['pipeline-schema', 'pipeline-file', 'plan', 'graph', 'data', 'backend-choice', 'nx-plugin'];

/** The code that plans pipelines and writes their targets, and the packages it runs: a change re-plans every file. */
function codeDigest(): string {
  const libs = join(__dirname, '..');
  const files: string[] = [join(libs, '..', 'package-lock.json')];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if ((e.name.endsWith('.ts') || e.name.endsWith('.json') || e.name.endsWith('.cjs')) && !e.name.endsWith('.test.ts')) files.push(join(dir, e.name));
    }
  };
  for (const lib of PLANNING_LIBS) walk(join(libs, lib));
  return digest(files.sort().map((f) => `${f}:${fileDigest(f)}`).join('\n'));
}

/** What a key reads besides the files: the overrides, the backend and threads asked for, this machine's cores and native TensorFlow. */
function environment(native: boolean): string {
  const env = ['TRAINYARD_OVERRIDES', 'TRAINYARD_BACKEND', 'TRAINYARD_THREADS'].map((k) => `${k}=${process.env[k] ?? ''}`);
  return [...env, `cores=${availableParallelism()}`, `native=${native}`].join('\n');
}

export function inferenceCache<T>(workspaceRoot: string, dataDir: string, native: boolean) {
  const path = join(dataDir, 'trainyard-pipelines.json');
  const context = digest(`${codeDigest()}\n${environment(native)}`);
  let store: Store<T> = { context, entries: {} };
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Store<T>;
    if (saved.context === context) store = saved;
  } catch {
    // No cache yet, or an unreadable one: plan everything.
  }
  let changed = false;
  return {
    /** The result for `file`, from the cache when none of the files it was computed from changed. */
    get(file: string, compute: () => { result: T; read: string[] }): T {
      const entry = store.entries[file];
      if (entry && Object.entries(entry.files).every(([f, d]) => fileDigest(resolve(workspaceRoot, f)) === d)) return entry.result;
      const { result, read } = compute();
      const files = Object.fromEntries([file, ...read].map((f) => [f, fileDigest(resolve(workspaceRoot, f))]));
      store.entries[file] = { files, result };
      changed = true;
      return result;
    },
    /** Writes the cache if anything was planned anew; files no longer present are dropped. */
    save(present: readonly string[]): void {
      for (const f of Object.keys(store.entries)) {
        if (present.includes(f)) continue;
        delete store.entries[f];
        changed = true;
      }
      if (!changed) return;
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(store));
      renameSync(tmp, path);
    },
  };
}
