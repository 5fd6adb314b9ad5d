import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { contentHashes, fileHashStore, workspaceDataDir, type StatedFile } from './file-hashes';
import { tempDir } from './fixture';

const dir = tempDir('trainyard-file-hashes-');
after(() => rmSync(dir, { recursive: true, force: true }));

const store = join(dir, 'store', 'hashes.tsv');
const sha = (bytes: string) => createHash('sha256').update(bytes).digest('hex');
const stated = (path: string): StatedFile => {
  const s = statSync(path, { bigint: true });
  return { path, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
};
/** Ten seconds after now: the files written here are no longer "racily clean". */
const later = () => (BigInt(Date.now()) + 10_000n) * 1_000_000n;

/** The store with every hash replaced by this one: a hash read from the store shows, a file read anew does not. */
function forge(hash: string): void {
  const [header, ...lines] = readFileSync(store, 'utf8').trimEnd().split('\n');
  writeFileSync(store, [header, ...lines.map((l) => `${hash}${l.slice(l.indexOf('\t'))}`)].join('\n') + '\n');
}

test('files=2: the sha256 of their bytes; an untouched file is not read again, a touched one is, and keeps its hash', () => {
  const [a, b] = ['a.png', 'b.png'].map((n) => join(dir, n));
  writeFileSync(a, 'aaa');
  writeFileSync(b, 'bbb');
  assert.deepEqual(contentHashes([stated(a), stated(b)], store, later()), [sha('aaa'), sha('bbb')]);
  forge('f'.repeat(64));
  assert.deepEqual(contentHashes([stated(a), stated(b)], store, later()), ['f'.repeat(64), 'f'.repeat(64)], 'taken from the store');
  utimesSync(a, new Date(2001, 0, 1), new Date(2001, 0, 1));
  assert.deepEqual(contentHashes([stated(a), stated(b)], store, later()), [sha('aaa'), 'f'.repeat(64)], 'the touched file read again');
});

test('an edit that keeps the size and puts the modification time back is read again (its status-change time moved)', () => {
  const c = join(dir, 'c.png');
  writeFileSync(c, 'ccc');
  const { mtime } = statSync(c);
  contentHashes([stated(c)], store, later());
  forge('e'.repeat(64));
  writeFileSync(c, 'CCC');
  utimesSync(c, mtime, mtime);
  assert.deepEqual(contentHashes([stated(c)], store, later()), [sha('CCC')]);
});

test('a file changed within 2 s of its check is not kept: it may change again within the same clock tick', () => {
  const d = join(dir, 'd.png');
  writeFileSync(d, 'ddd');
  rmSync(store, { force: true });
  contentHashes([stated(d)], store);
  assert.equal(existsSync(store) && readFileSync(store, 'utf8').includes(d), false, 'not kept now');
  contentHashes([stated(d)], store, later());
  assert.equal(readFileSync(store, 'utf8').includes(d), true, 'kept later');
});

test('a file gone is dropped from the store; an unreadable store only costs reads; a vanished file is one line', () => {
  const [e, f] = ['e.png', 'f.png'].map((n) => join(dir, n));
  writeFileSync(e, 'eee');
  writeFileSync(f, 'fff');
  contentHashes([stated(e), stated(f)], store, later());
  contentHashes([stated(e)], store, later());
  assert.equal(readFileSync(store, 'utf8').includes(f), false);
  writeFileSync(store, 'not a store\n');
  assert.deepEqual(contentHashes([stated(e)], store, later()), [sha('eee')]);
  const gone = stated(f);
  unlinkSync(f);
  assert.throws(() => contentHashes([gone], store, later()), { message: `${f}: cannot read (no such file)` });
});

test("the store lies in Nx's workspace data folder of the workspace, one per dataset", () => {
  assert.equal(workspaceDataDir('/ws', {}), '/ws/.nx/workspace-data');
  assert.equal(workspaceDataDir('/ws', { NX_WORKSPACE_DATA_DIRECTORY: 'tmp/wd' }), '/ws/tmp/wd');
  const one = fileHashStore('/ws', '/data/a');
  assert.match(one, /^\/ws\/\.nx\/workspace-data\/trainyard-file-hashes\/[0-9a-f]{16}\.tsv$/);
  assert.notEqual(fileHashStore('/ws', '/data/b'), one);
});
