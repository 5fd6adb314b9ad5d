/**
 * Which Python the bench's PyTorch reference runs on: the newest PyTorch on the machine. Debian's 1.13 is
 * built with generic BLAS, which makes any rival look fast; a current PyTorch wheel (in /opt/wheels on
 * these machines) goes into a venv of its own, outside the repository, made the first time it is needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TorchPython {
  python: string;
  /** torch.__version__, e.g. `2.13.0+cpu`. */
  version: string;
  /** The BLAS it was built with (`BLAS_INFO` of torch.__config__.show()): mkl, open, generic... */
  blas: string;
}

const PROBE = 'import json, re, torch; m = re.search(r"BLAS_INFO=(\\w+)", torch.__config__.show()); print(json.dumps({"version": torch.__version__, "blas": m.group(1) if m else "unknown"}))';

/** What torch `python` imports, or undefined when it imports none. */
export function probeTorch(python: string): TorchPython | undefined {
  if (!existsSync(python)) return undefined;
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const { version, blas } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { version: string; blas: string };
  return { python, version, blas };
}

/** Compares `2.13.0+cpu` with `1.13.1`: by their numbers, the local part aside. */
export function newer(a: string, b: string): boolean {
  const parts = (v: string) => v.split('+')[0].split('.').map((n) => parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

/** The venv the bench keeps a wheel's PyTorch in: `~/.cache/trainyard/torch-venv` (XDG_CACHE_HOME is honoured). */
function venvDir(env = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trainyard', 'torch-venv');
}

/** Makes the venv from the newest wheel in `wheels` with `python3` on PATH; says what it does, in one line each. */
function makeVenv(dir: string, wheels: string, log: (line: string) => void): void {
  const wheel = existsSync(wheels) ? readdirSync(wheels).filter((f) => /^torch-.*\.whl$/.test(f)).sort().at(-1) : undefined;
  if (!wheel || existsSync(join(dir, 'bin', 'python'))) return;
  log(`# making a venv for the PyTorch reference: ${dir}, from ${join(wheels, wheel)}`);
  const made = spawnSync('python3', ['-m', 'venv', '--system-site-packages', dir], { encoding: 'utf8' });
  const installed = made.status === 0 && spawnSync(join(dir, 'bin', 'pip'), ['install', '--quiet', '--no-index', '--no-deps', join(wheels, wheel)], { encoding: 'utf8' });
  if (!installed || installed.status !== 0) log(`# could not make it (${(installed ? installed.stderr : made.stderr).trim().split('\n').at(-1)}): comparing with what else there is`);
}

/** The newest PyTorch among the venv (made from a wheel if there is one) and Debian's; undefined when neither imports torch. */
export function newestTorch(log: (line: string) => void, wheels = process.env.TRAINYARD_TORCH_WHEELS ?? '/opt/wheels'): TorchPython | undefined {
  const dir = venvDir();
  makeVenv(dir, wheels, log);
  const found = [join(dir, 'bin', 'python'), '/usr/bin/python3'].map(probeTorch).filter((t): t is TorchPython => t !== undefined);
  return found.reduce<TorchPython | undefined>((best, t) => (!best || newer(t.version, best.version) ? t : best), undefined);
}
