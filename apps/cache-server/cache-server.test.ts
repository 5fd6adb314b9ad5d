/** `npm run cache-server`: nginx speaking Nx's remote cache protocol, really started on a free port. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nginxConfig, tokenKey } from './nginx';
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

  test('tokens are compared exactly: the write or read token with its letters upper-cased gets 401 and stores nothing', async () => {
    assert.equal((await put('1006', WRITE_TOKEN, 'exact')).status, 201);
    const variants = [WRITE_TOKEN.toUpperCase(), READ_TOKEN.toUpperCase(), `W${WRITE_TOKEN.slice(1)}`, `R${READ_TOKEN.slice(1)}`];
    for (const token of variants) {
      assert.ok(![WRITE_TOKEN, READ_TOKEN].includes(token) && [WRITE_TOKEN, READ_TOKEN].includes(token.toLowerCase()), token);
    }
    for (const [i, token] of variants.entries()) {
      const read = await fetch(entry('1006'), { headers: bearer(token) });
      assert.equal(read.status, 401, `GET with ${token}`);
      assert.doesNotMatch(await read.text(), /exact/);
      assert.equal((await put(`1007${i}`, token)).status, 401, `PUT with ${token}`);
    }
    assert.deepEqual(server.entries().filter((e) => e.startsWith('1007')), []);
  });

  test('the scheme is case-insensitive, as HTTP defines it; the token after it is not', async () => {
    assert.equal((await fetch(entry('1001'), { headers: { authorization: `bearer ${READ_TOKEN}` } })).status, 200);
    assert.equal((await fetch(entry('1001'), { headers: { authorization: `BEARER ${READ_TOKEN}` } })).status, 200);
    assert.equal((await fetch(entry('1001'), { headers: { authorization: `Bearer ${READ_TOKEN}x` } })).status, 401);
    assert.equal((await fetch(entry('1001'), { headers: { authorization: `Bearer x${READ_TOKEN}` } })).status, 401);
    assert.equal((await fetch(entry('1001'), { headers: { authorization: READ_TOKEN } })).status, 401);
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

describe('tokens with every character the server accepts', { skip }, () => {
  // Each of . + / = ~ - _ once in each token: '.' and '+' are regular-expression operators, the rest are not.
  const WRITE = 'Ab.cd+e/F=g~h-i_0123456789';
  const READ = 'rD+.x/=~-_9876543210';
  let server: RunningServer;
  before(async () => {
    server = await startCacheServer({ TRAINYARD_CACHE_WRITE_TOKEN: WRITE, TRAINYARD_CACHE_READ_TOKEN: READ });
  });
  after(() => server?.stop());

  const entry = (hash: string) => `${server.url}/v1/cache/${hash}`;
  const put = (hash: string, token: string, body = 'tar bytes') => fetch(entry(hash), { method: 'PUT', headers: bearer(token), body });

  test('work exactly as given: the write token stores, the read token reads and may not write', async () => {
    assert.equal((await put('2001', WRITE, 'punctuated')).status, 201);
    for (const token of [WRITE, READ]) {
      const res = await fetch(entry('2001'), { headers: bearer(token) });
      assert.equal(res.status, 200, `GET with ${token}`);
      assert.equal(await res.text(), 'punctuated');
    }
    assert.equal((await put('2002', READ)).status, 403);
    assert.deepEqual(server.entries(), ['2001']);
  });

  test('a token differing in one of those characters, or what a regular expression of it would match, gets 401', async () => {
    const variants: string[] = [];
    for (const token of [WRITE, READ]) {
      for (const [i, c] of [...token].entries()) {
        if (/[^A-Za-z0-9]/.test(c)) variants.push(`${token.slice(0, i)}x${token.slice(i + 1)}`);
      }
      const plus = token.indexOf('+');
      variants.push(token.slice(0, plus) + token.slice(plus + 1)); // "d+" would match "d"
      variants.push(token.slice(0, plus) + token[plus - 1] + token.slice(plus + 1)); // and "dd"
      variants.push(`${token}0`, `0${token}`);
    }
    assert.ok(variants.length >= 20);
    for (const [i, token] of variants.entries()) {
      assert.equal((await fetch(entry('2001'), { headers: bearer(token) })).status, 401, `GET with ${token}`);
      assert.equal((await put(`2100${i}`, token)).status, 401, `PUT with ${token}`);
    }
    assert.deepEqual(server.entries().filter((e) => e.startsWith('2100')), []);
  });
});

describe('a read token that differs from the write token only in case', { skip }, () => {
  // Tokens are compared exactly, so this is a distinct token: the server starts and gives it read access only.
  const WRITE = 'cache-write-0123456789abcdef';
  const READ = WRITE.toUpperCase();
  let server: RunningServer;
  before(async () => {
    server = await startCacheServer({ TRAINYARD_CACHE_WRITE_TOKEN: WRITE, TRAINYARD_CACHE_READ_TOKEN: READ });
  });
  after(() => server?.stop());

  const entry = (hash: string) => `${server.url}/v1/cache/${hash}`;

  test('is a distinct read-only token, and a third spelling is neither', async () => {
    assert.equal((await fetch(entry('3001'), { method: 'PUT', headers: bearer(WRITE), body: 'w' })).status, 201);
    assert.equal((await fetch(entry('3002'), { method: 'PUT', headers: bearer(READ), body: 'r' })).status, 403);
    const res = await fetch(entry('3001'), { headers: bearer(READ) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'w');
    const other = `C${WRITE.slice(1)}`;
    assert.equal((await fetch(entry('3001'), { headers: bearer(other) })).status, 401);
    assert.equal((await fetch(entry('3003'), { method: 'PUT', headers: bearer(other), body: 'x' })).status, 401);
    assert.deepEqual(server.entries(), ['3001']);
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
  assert.ok(conf.includes(`"~^(?i:bearer) ${'W'.repeat(16)}$" write;`), conf);
  assert.ok(conf.includes(`"~^(?i:bearer) ${'R'.repeat(16)}$" read;`), conf);
  // Case-sensitive regular expressions ('~', not '~*'), never plain strings, which nginx matches without regard to case.
  assert.doesNotMatch(conf, /"Bearer |~\*\^\(\?i:bearer\)/);
  assert.match(conf, /"PUT:read" 403;/);
  assert.equal(tokenKey('a.b+c/d=e~f-g_h0123456789'), String.raw`"~^(?i:bearer) a\.b\+c\/d\=e\~f\-g\_h0123456789$"`);
  assert.doesNotMatch(nginxConfig({ listen: '127.0.0.1:1', store: '/s', runtime: '/r', writeToken: 'W'.repeat(16) }), / read;/);
});

test('nginx accepts the configuration with tokens of 16 to 512 characters, as the server does', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-nginx-conf-'));
  try {
    // 39 was the longest token a default map bucket (64 bytes) held as a plain key with "Bearer "; 48 is what
    // `openssl rand -hex 24` makes.
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
