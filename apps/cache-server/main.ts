/**
 * `npm run cache-server`: a shared Nx remote cache served by Debian's nginx, in the foreground.
 *
 *   TRAINYARD_CACHE_WRITE_TOKEN  required; may read and write (CI on the protected branch)
 *   TRAINYARD_CACHE_READ_TOKEN   optional; may only read (pull requests, forks, laptops)
 *   TRAINYARD_CACHE_HOST         listen address, default 127.0.0.1 (0.0.0.0 to serve a network)
 *   TRAINYARD_CACHE_PORT         default 8765
 *   TRAINYARD_CACHE_DIR          the store, default ~/.cache/trainyard/remote-cache
 *                                (/var/cache/trainyard as root)
 *   TRAINYARD_NGINX              the nginx binary, default the one on PATH or in /usr/sbin
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { nginxConfig, TOKEN } from './nginx';

class StartError extends Error {}

function settings() {
  const env = process.env;
  const writeToken = env.TRAINYARD_CACHE_WRITE_TOKEN;
  const readToken = env.TRAINYARD_CACHE_READ_TOKEN || undefined;
  if (!writeToken) throw new StartError('TRAINYARD_CACHE_WRITE_TOKEN is not set: the server needs a write token (e.g. TRAINYARD_CACHE_WRITE_TOKEN=$(openssl rand -hex 24))');
  for (const [name, token] of [['TRAINYARD_CACHE_WRITE_TOKEN', writeToken], ['TRAINYARD_CACHE_READ_TOKEN', readToken]] as const) {
    if (token !== undefined && !TOKEN.test(token)) throw new StartError(`${name}: expected 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -hex 24)`);
  }
  if (readToken === writeToken) throw new StartError('TRAINYARD_CACHE_READ_TOKEN equals the write token: a read-only token must differ');
  const host = env.TRAINYARD_CACHE_HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw new StartError(`TRAINYARD_CACHE_HOST: expected an address such as 127.0.0.1 or 0.0.0.0 (got '${host}')`);
  const port = Number(env.TRAINYARD_CACHE_PORT || 8765);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartError(`TRAINYARD_CACHE_PORT: expected a port number 1-65535 (got '${env.TRAINYARD_CACHE_PORT}')`);
  const root = process.getuid?.() === 0;
  const fallback = root ? '/var/cache/trainyard' : join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trainyard', 'remote-cache');
  const store = resolve(env.TRAINYARD_CACHE_DIR || fallback);
  if (/[\s;{}'"$\\]/.test(store)) throw new StartError(`TRAINYARD_CACHE_DIR: choose a path without spaces, quotes, braces, ';', '$' or '\\' (got '${store}')`);
  return { writeToken, readToken, host, port, store, root };
}

function findNginx(): string {
  const chosen = process.env.TRAINYARD_NGINX;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new StartError(`TRAINYARD_NGINX=${chosen} does not exist: unset it to use the nginx on PATH, or on Debian or Ubuntu apt-get install nginx`);
  }
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  throw new StartError('nginx is not installed: on Debian or Ubuntu, apt-get install nginx (any nginx built with the http_dav_module does)');
}

/**
 * As root, nginx's worker drops to an unprivileged user, who must be able to write the store and reach it:
 * the store's owner if that is not root, else `nobody`, who is given the store. Returns nginx's `user` value.
 */
function workerUser(store: string): string {
  let uid = statSync(store).uid;
  if (uid === 0) {
    const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    if (nobody.status !== 0) throw new StartError("there is no user nobody for nginx's worker: chown TRAINYARD_CACHE_DIR to the user it should run as");
    uid = Number(nobody.stdout.trim());
    chownSync(store, uid, -1);
  }
  const id = (flag: string) => spawnSync('id', [flag, String(uid)], { encoding: 'utf8' });
  const [name, group] = [id('-nu'), id('-ng')];
  if (name.status !== 0 || group.status !== 0) throw new StartError(`TRAINYARD_CACHE_DIR ${store} belongs to uid ${uid}, who has no user name for nginx's worker`);
  return `${name.stdout.trim()} ${group.stdout.trim()}`;
}

function checkReachable(store: string, user: string): void {
  for (let dir = dirname(store); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new StartError(`TRAINYARD_CACHE_DIR ${store}: nginx's worker (${user}) cannot reach it through ${dir}; choose a store under a folder others may enter, e.g. /var/cache/trainyard`);
    }
    if (dir === dirname(dir)) return;
  }
}

async function waitUntilListening(url: string, nginx: ReturnType<typeof spawn>): Promise<void> {
  for (let i = 0; i < 100 && nginx.exitCode === null; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Copies what nginx appends to its access log to our stdout. */
function followLog(file: string): { stop(): void } {
  let offset = 0;
  const copy = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size <= offset) return;
    const fd = openSync(file, 'r');
    const chunk = Buffer.alloc(size - offset);
    readSync(fd, chunk, 0, chunk.length, offset);
    closeSync(fd);
    offset = size;
    process.stdout.write(chunk);
  };
  const timer = setInterval(copy, 200);
  return { stop: () => (clearInterval(timer), copy()) };
}

async function main(): Promise<void> {
  const s = settings();
  const nginxPath = findNginx();
  mkdirSync(join(s.store, '.incoming'), { recursive: true, mode: 0o700 });
  let user: string | undefined;
  if (s.root) {
    user = workerUser(s.store);
    checkReachable(s.store, user);
    const uid = statSync(s.store).uid;
    chownSync(join(s.store, '.incoming'), uid, -1);
    if (existsSync(join(s.store, 'v1'))) spawnSync('chown', ['-R', String(uid), join(s.store, 'v1')]);
  }
  // The configuration holds the tokens: a folder of our own (0700), removed when we stop.
  const runtime = mkdtempSync(join(tmpdir(), 'trainyard-cache-server-'));
  const cleanup = () => rmSync(runtime, { recursive: true, force: true });
  const conf = join(runtime, 'nginx.conf');
  const listen = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
  writeFileSync(conf, nginxConfig({ listen, store: s.store, runtime, writeToken: s.writeToken, readToken: s.readToken, user }), { mode: 0o600 });

  const test = spawnSync(nginxPath, ['-t', '-q', '-e', 'stderr', '-p', runtime, '-c', conf], { encoding: 'utf8' });
  if (test.status !== 0) {
    cleanup();
    throw new StartError(`nginx refused the configuration:\n${test.stderr.trim()}`);
  }
  const nginx = spawn(nginxPath, ['-e', 'stderr', '-p', runtime, '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = (signal: NodeJS.Signals) => {
    // nginx stops at once on TERM/INT; with a terminal's Ctrl-C it got the INT too.
    if (nginx.exitCode === null) nginx.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGTERM'));

  const shown = s.host === '0.0.0.0' ? '127.0.0.1' : s.host.replace(/^([^[].*:.*)$/, '[$1]');
  const url = `http://${shown}:${s.port}`;
  await waitUntilListening(`${url}/v1/cache/ready`, nginx);
  if (nginx.exitCode === null) {
    console.log(`Nx remote cache listening on http://${listen} (store ${s.store}; ${s.readToken ? 'write and read-only tokens' : 'write token only'})`);
    console.log(`Use it: NX_SELF_HOSTED_REMOTE_CACHE_SERVER=${url} NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=<token> npx nx run pipeline:<name>`);
    console.log('Ctrl-C stops it.');
  }
  const log = followLog(join(runtime, 'access.log'));
  const code = await new Promise<number>((done) => nginx.on('exit', (c, signal) => done(c ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1))));
  log.stop();
  cleanup();
  if (code !== 0) throw new StartError(`nginx stopped with exit code ${code} (its message is above)`);
  console.log('cache server stopped');
}

main().catch((e) => {
  console.error(e instanceof StartError ? `cache-server: ${e.message}` : e);
  process.exitCode = 1;
});
