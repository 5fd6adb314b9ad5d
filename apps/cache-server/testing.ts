/** The cache server as tests use it: `npm run cache-server`'s program on a free 127.0.0.1 port, stopped after. */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canFakeMachineId } from '../cli/testing';

const repo = join(__dirname, '..', '..');

export const WRITE_TOKEN = 'write-0123456789abcdef';
export const READ_TOKEN = 'read-0123456789abcdef';

export const hasNginx = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'nginx'))].some((p) => existsSync(p));

/** The skip of a test that runs the server and shows Nx other machine ids: false where both can be done, else why not. */
export const acrossMachinesSkip = !hasNginx
  ? 'nginx is not installed (apt-get install nginx; .ci/run installs it)'
  : !canFakeMachineId
    ? 'showing Nx another machine id needs root (unshare --mount); CI runs as root'
    : false;

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  store: string;
  /** Everything it printed so far. */
  output(): string;
  /** Cache entries in the store. */
  entries(): string[];
  /** Sends `signal` and resolves with the exit code once it has stopped. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the server and resolves once it says it listens; rejects with its output if it exits first. */
export async function startCacheServer(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const port = await freePort();
  // nginx's worker runs as another user when we are root: the store's parent must let it in.
  const parent = mkdtempSync(join(tmpdir(), 'trainyard-cache-'));
  chmodSync(parent, 0o755);
  const store = join(parent, 'store');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/cache-server/main.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      TRAINYARD_CACHE_PORT: String(port),
      TRAINYARD_CACHE_DIR: store,
      TRAINYARD_CACHE_WRITE_TOKEN: WRITE_TOKEN,
      TRAINYARD_CACHE_READ_TOKEN: READ_TOKEN,
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    const timer = setInterval(() => {
      if (output.includes('listening on')) {
        clearInterval(timer);
        ready();
      }
    }, 50);
    exited.then((code) => {
      clearInterval(timer);
      fail(new Error(`cache server exited with ${code}:\n${output}`));
    });
  });
  const dir = join(store, 'v1', 'cache');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    output: () => output,
    entries: () => (existsSync(dir) ? readdirSync(dir).sort() : []),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
