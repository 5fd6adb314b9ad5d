import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';

// Beside each stage folder `<stage>`: `.<stage>.tmp-<pid>` (being written), `.<stage>.old-<pid>` (the
// previous output, for the instant of the swap) and `.<stage>.lock` (the writer's pid).
const LEFTOVER = /^\.([\w-]+)\.(tmp|old)-(\d+)$/;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another process is writing the same stage folder now. */
export class StageBusyError extends Error {
  readonly code = 'TY_STAGE_BUSY';
}

/**
 * Cleans up after stages whose process is gone (killed, or the machine went down): removes their
 * temporary folders, and puts back a previous output that a swap left aside. Returns what it handled.
 */
export function sweepTemporary(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const stale = readdirSync(parent).filter((name) => {
    const m = LEFTOVER.exec(name);
    return m !== null && Number(m[3]) !== process.pid && !alive(Number(m[3]));
  });
  for (const name of stale) {
    const [, stage, kind] = LEFTOVER.exec(name)!;
    if (kind === 'old' && !existsSync(join(parent, stage))) renameSync(join(parent, name), join(parent, stage));
    else rmSync(join(parent, name), { recursive: true, force: true });
  }
  return stale;
}

/** Takes the stage's lock file, or says who holds it; a lock whose process is gone is taken over. */
function lock(dir: string): () => void {
  const path = join(dirname(dir), `.${basename(dir)}.lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(path, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    // An empty file is a lock being taken this instant: its process is alive.
    if (!holder || alive(holder)) {
      const who = holder ? `process ${holder}` : 'another process';
      throw new StageBusyError(`${relative(process.cwd(), dir) || dir} is being written by ${who} (another run of this pipeline?): wait for it to end, or stop it, then run again`);
    }
    rmSync(path, { force: true });
  }
  throw new StageBusyError(`could not take the lock of ${dir}`);
}

/**
 * Runs `work` against a fresh temporary folder beside `dir` and moves it into place only when `work`
 * succeeds, so an interrupted or failed stage never leaves a half-written output behind. One writer
 * per stage folder at a time (a lock file); a second one is refused. SIGINT, SIGTERM and SIGHUP
 * remove the temporary folder and the lock and end the process, as does any exit meanwhile; what
 * SIGKILL leaves, the next stage of the pipeline to start sweeps.
 */
export async function writeStage<T>(dir: string, work: (tmp: string) => Promise<T>): Promise<T> {
  // The first folder this made (artifacts/<pipeline>/, say): a stage that fails leaves it out again.
  const created = mkdirSync(dirname(dir), { recursive: true });
  sweepTemporary(dirname(dir));
  const unlock = lock(dir);
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  let done = false;
  const abandon = () => {
    rmSync(tmp, { recursive: true, force: true });
    unlock();
    if (!done && created !== undefined) removeEmpty(dirname(dir), created);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    abandon();
    process.stderr.write(`interrupted (${signal}): ${relative(process.cwd(), dir) || dir} left as it was\n`);
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // Any other way out (process.exit, say on a closed stdout) cleans up too.
  process.on('exit', abandon);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    const result = await work(tmp);
    // Swapped by two renames, so the folder is always either the old output or the new one, whole.
    const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
    const had = existsSync(dir);
    if (had) renameSync(dir, old);
    renameSync(tmp, dir);
    if (had) rmSync(old, { recursive: true, force: true });
    done = true;
    return result;
  } finally {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('exit', abandon);
    abandon();
  }
}

/** Removes `dir` and its parents up to `top` while they are empty. */
function removeEmpty(dir: string, top: string): void {
  for (let d = dir; ; d = dirname(d)) {
    try {
      if (readdirSync(d).length > 0) return;
      rmSync(d, { recursive: true });
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
