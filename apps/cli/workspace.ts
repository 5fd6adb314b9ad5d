/** Throwaway copies of the workspace for tests that run Nx, as a fresh clone has it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export const repo = join(__dirname, '..', '..');

/** Copies the tracked and new files (without `pipelines/` unless asked) into `dir`, sharing node_modules. */
export function copyWorkspace(dir: string, opts: { pipelines: boolean }): string {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(repo, f)) && (opts.pipelines || !f.startsWith('pipelines/')));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(repo, f), join(dir, f));
  }
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  return dir;
}

/** Runs Nx in `cwd` as CI does (no daemon, no cloud, plain output); `env` is added to a cleaned environment. */
export function nx(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const full: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TASKS_RUNNER_DYNAMIC_OUTPUT: 'false', CI: 'true' };
  for (const name of ['TRAINYARD_ARTIFACTS', 'TRAINYARD_OVERRIDES', 'NX_CACHE_DIRECTORY', 'NX_WORKSPACE_DATA_DIRECTORY']) delete full[name];
  const r = spawnSync(join(repo, 'node_modules', '.bin', 'nx'), args, { cwd, env: { ...full, ...env }, encoding: 'utf8' });
  return { status: r.status, output: stripVTControlCharacters(`${r.stdout}\n${r.stderr}`) };
}
