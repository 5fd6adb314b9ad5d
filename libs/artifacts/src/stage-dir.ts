import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Runs `work` against a fresh temporary folder beside `dir` and moves it into place only when
 * `work` succeeds, so an interrupted or failed stage never leaves a half-written output behind.
 */
export async function writeStage<T>(dir: string, work: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
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
