import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMPORARY = /^\.[\w-]+\.tmp-(\d+)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary folders in `parent` of stages whose process is gone (killed, or the machine went down). */
export function sweepTemporary(parent: string): string[] {
  if (!existsSync(parent)) return [];
  const stale = readdirSync(parent).filter((name) => {
    const m = TEMPORARY.exec(name);
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]));
  });
  for (const name of stale) rmSync(join(parent, name), { recursive: true, force: true });
  return stale;
}

/**
 * Runs `work` against a fresh temporary folder beside `dir` and moves it into place only when
 * `work` succeeds, so an interrupted or failed stage never leaves a half-written output behind. A
 * stage killed before it could clean up (SIGKILL, Ctrl-C during training) leaves its folder; the next
 * stage of the pipeline to start removes it.
 */
export async function writeStage<T>(dir: string, work: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  sweepTemporary(dirname(dir));
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const result = await work(tmp);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return result;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
