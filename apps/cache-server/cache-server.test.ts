/** `npm run cache-server`: nginx speaking Nx's remote cache protocol, really started on a free port. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nginxConfig } from './nginx';
import { hasNginx, READ_TOKEN, startCacheServer, WRITE_TOKEN, type RunningServer } from './testing';

const repo = join(__dirname, '..', '..');
const skip = hasNginx ? false : 'nginx is not installed (apt-get install nginx; .ci/run installs it)';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the cache server', { skip }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startCacheServer();
  });
  after(() => server?.stop());

  const entry = (hash: string) => `${server.url}/v1/cache/${hash}`;
  const put = (hash: string, token: string, body = 'tar bytes') => fetch(entry(hash), { method: 'PUT', headers: bearer(token), body });

  test('the write token stores an entry that either token reads back', async () => {
    assert.equal((await put('1001', WRITE_TOKEN, 'first')).status, 201);
    for (const token of [WRITE_TOKEN, READ_TOKEN]) {
      const res = await fetch(entry('1001'), { headers: bearer(token) });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'first');
    }
    assert.deepEqual(server.entries(), ['1001']);
  });

  test('a PUT of an existing key gets 409 and leaves the entry as it was', async () => {
    assert.equal((await put('1002', WRITE_TOKEN, 'trusted')).status, 201);
    const again = await put('1002', WRITE_TOKEN, 'poisoned');
    assert.equal(again.status, 409);
    assert.equal(await (await fetch(entry('1002'), { headers: bearer(READ_TOKEN) })).text(), 'trusted');
  });

  test('the read token may not write: 403, nothing stored', async () => {
    const res = await put('1003', READ_TOKEN);
    assert.equal(res.status, 403);
    assert.ok(!server.entries().includes('1003'));
  });

  test('a wrong or missing token gets 401 as text/plain (what Nx requires) and no entry', async () => {
    await put('1004', WRITE_TOKEN, 'secret');
    for (const headers of [bearer('wrong-0123456789abcdef'), {}]) {
      const res = await fetch(entry('1004'), { headers });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.doesNotMatch(await res.text(), /secret/);
      assert.equal((await fetch(entry('1005'), { method: 'PUT', headers, body: 'x' })).status, 401);
    }
    assert.ok(!server.entries().includes('1005'));
  });

  test('a missing entry is 404; other methods and paths are refused', async () => {
    assert.equal((await fetch(entry('9999'), { headers: bearer(READ_TOKEN) })).status, 404);
    assert.equal((await fetch(entry('1001'), { method: 'DELETE', headers: bearer(WRITE_TOKEN) })).status, 405);
    assert.deepEqual(server.entries().includes('1001'), true);
    for (const path of ['/v1/cache/..%2F..%2Fetc%2Fpasswd', '/v1/cache/.incoming', '/etc/passwd', '/v1/cache/']) {
      const res = await fetch(`${server.url}${path}`, { method: 'PUT', headers: bearer(WRITE_TOKEN), body: 'x' });
      assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
    }
  });

  test('its log names requests but never a token', async () => {
    await new Promise((r) => setTimeout(r, 500)); // the log is copied to stdout a few times a second
    assert.match(server.output(), /GET \/v1\/cache\/1001 200/);
    assert.doesNotMatch(server.output(), new RegExp(`${WRITE_TOKEN}|${READ_TOKEN}`));
  });
});

describe('starting and stopping', { skip }, () => {
  test('without a write token it refuses to start, in one line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cache-server/main.ts'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, TRAINYARD_CACHE_WRITE_TOKEN: '', TRAINYARD_CACHE_DIR: join(tmpdir(), 'never-created') },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /^cache-server: TRAINYARD_CACHE_WRITE_TOKEN is not set/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  test('without nginx it says how to install it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cache-server/main.ts'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, TRAINYARD_CACHE_WRITE_TOKEN: WRITE_TOKEN, TRAINYARD_NGINX: '/nonexistent/nginx' },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /^cache-server: TRAINYARD_NGINX=\/nonexistent\/nginx does not exist: .* apt-get install nginx$/);
  });

  test('a read token equal to the write token, or a short one, is refused', async () => {
    await assert.rejects(startCacheServer({ TRAINYARD_CACHE_READ_TOKEN: WRITE_TOKEN }), /read-only token must differ/);
    await assert.rejects(startCacheServer({ TRAINYARD_CACHE_READ_TOKEN: 'short' }), /TRAINYARD_CACHE_READ_TOKEN: expected 16 to 512 characters/);
  });

  test('Ctrl-C stops it cleanly and removes the configuration that held the tokens', async () => {
    const server = await startCacheServer();
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('trainyard-cache-server-'));
    assert.ok(before.length > 0);
    for (const dir of before) {
      const conf = join(tmpdir(), dir, 'nginx.conf');
      if (existsSync(conf)) assert.equal(spawnSync('stat', ['-c', '%a', conf], { encoding: 'utf8' }).stdout.trim(), '600');
    }
    assert.equal(await server.stop('SIGINT'), 0);
    assert.match(server.output(), /cache server stopped/);
    const left = readdirSync(tmpdir()).filter((f) => f.startsWith('trainyard-cache-server-'));
    assert.ok(left.length < before.length, 'its runtime folder is gone');
  });
});

test('the configuration puts each token where it belongs and never a read token among writers', () => {
  const conf = nginxConfig({ listen: '127.0.0.1:1', store: '/s', runtime: '/r', writeToken: 'W'.repeat(16), readToken: 'R'.repeat(16) });
  assert.match(conf, new RegExp(`"Bearer ${'W'.repeat(16)}" write;`));
  assert.match(conf, new RegExp(`"Bearer ${'R'.repeat(16)}" read;`));
  assert.match(conf, /"PUT:read" 403;/);
  assert.doesNotMatch(nginxConfig({ listen: '127.0.0.1:1', store: '/s', runtime: '/r', writeToken: 'W'.repeat(16) }), / read;/);
});

test('nginx accepts the configuration with tokens of 16 to 512 characters, as the server does', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-nginx-conf-'));
  try {
    // 39 is the longest token a default map bucket (64 bytes) holds with "Bearer ", 48 what `openssl rand -hex 24` makes.
    for (const length of [16, 39, 40, 48, 511, 512]) {
      const token = (c: string) => `${c}-0123456789abcdef~._+/=`.repeat(30).slice(0, length);
      const conf = join(dir, 'nginx.conf');
      writeFileSync(conf, nginxConfig({ listen: '127.0.0.1:1', store: dir, runtime: dir, writeToken: token('W'), readToken: token('R') }));
      const r = spawnSync('nginx', ['-t', '-q', '-e', 'stderr', '-p', dir, '-c', conf], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/usr/local/sbin` },
      });
      assert.equal(r.status, 0, `tokens of ${length} characters: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
