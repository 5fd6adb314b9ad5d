import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError } from './errors';
import { encodeIdx, isGzip, parseIdx, readIdx } from './idx';
import { tempDir } from './fixture';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Asserts a DataError with code TY_DATA and exactly this message. */
function throwsData(work: () => unknown, message: string | RegExp): void {
  assert.throws(work, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.code, 'TY_DATA');
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

const pixels = Array.from({ length: 12 }, (_, i) => i * 20);

test('plain images [2,2,3] read back with their dims and bytes', () => {
  const path = write('plain-images', encodeIdx([2, 2, 3], pixels));
  const idx = readIdx(path, 'images');
  assert.deepEqual(idx.dims, [2, 2, 3]);
  assert.deepEqual(Array.from(idx.data), pixels);
});

test('gzip is detected by its magic bytes, not by the file name', () => {
  const gz = write('no-suffix', gzipSync(encodeIdx([2, 2, 3], pixels)));
  const plainNamedGz = write('plain.gz', encodeIdx([2, 2, 3], pixels));
  for (const path of [gz, plainNamedGz]) {
    const idx = readIdx(path, 'images');
    assert.deepEqual(idx.dims, [2, 2, 3]);
    assert.deepEqual(Array.from(idx.data), pixels);
  }
  assert.equal(isGzip(gzipSync(new Uint8Array(3))), true);
  assert.equal(isGzip(encodeIdx([1], [0])), false);
});

test('labels [3] and 4-dim images [1,2,2,3] are accepted', () => {
  assert.deepEqual(Array.from(readIdx(write('labels', encodeIdx([3], [7, 0, 9])), 'labels').data), [7, 0, 9]);
  assert.deepEqual(readIdx(write('rgb', encodeIdx([1, 2, 2, 3], pixels)), 'images').dims, [1, 2, 2, 3]);
});

test('bad magic names the file and the bytes found', () => {
  const bytes = encodeIdx([3], [1, 2, 3]);
  bytes[0] = 0x50;
  bytes[1] = 0x4b;
  const path = write('zip-not-idx', bytes);
  throwsData(() => readIdx(path, 'labels'), `${path}: not an IDX file (starts with 0x50 0x4b, expected 0x00 0x00)`);
});

test('type byte 0x0d (float32) is refused: only unsigned bytes are read', () => {
  const bytes = encodeIdx([3], [1, 2, 3]);
  bytes[2] = 0x0d;
  const path = write('float-labels', bytes);
  throwsData(() => readIdx(path, 'labels'), `${path}: IDX type 0x0d (float32) is not supported; expected 0x08 (unsigned byte)`);
});

test('a label file read as images is refused by its dimension count', () => {
  const path = write('labels-as-images', encodeIdx([3], [1, 2, 3]));
  throwsData(() => readIdx(path, 'images'), `${path}: expected 3 dimensions (N x H x W) or 4 (N x H x W x C) for images, got 1`);
  const images = write('images-as-labels', encodeIdx([2, 2, 3], pixels));
  throwsData(() => readIdx(images, 'labels'), `${images}: expected 1 dimension (N) for labels, got 3`);
});

test('truncated 60000x28x28 file: expected 47040016 bytes, got 1000', () => {
  const full = encodeIdx([1, 1, 1], [0]);
  const bytes = new Uint8Array(1000);
  bytes.set(full.subarray(0, 4));
  new DataView(bytes.buffer).setUint32(4, 60000);
  new DataView(bytes.buffer).setUint32(8, 28);
  new DataView(bytes.buffer).setUint32(12, 28);
  const path = write('train-images-idx3-ubyte', bytes);
  throwsData(() => readIdx(path, 'images'), `${path}: expected 47040016 bytes for 60000x28x28 images, got 1000`);
  const gz = write('train-images-idx3-ubyte.gz', gzipSync(bytes));
  throwsData(() => readIdx(gz, 'images'), `${gz}: expected 47040016 bytes for 60000x28x28 images, got 1000 after gunzip`);
});

test('extra bytes after the data are refused too', () => {
  const bytes = new Uint8Array([...encodeIdx([3], [1, 2, 3]), 0]);
  throwsData(() => parseIdx(bytes, 'labels.idx', 'labels'), 'labels.idx: expected 11 bytes for 3 labels, got 12');
});

test('a header cut inside the dimensions is refused', () => {
  throwsData(() => parseIdx(encodeIdx([2, 2, 3], pixels).subarray(0, 10), 'x', 'images'), 'x: 10 bytes is too short for an IDX header of 3 dimensions (16 bytes)');
  throwsData(() => parseIdx(new Uint8Array(2), 'empty'), 'empty: 2 bytes is too short for an IDX header');
});

test('a cut gzip stream is refused with the gunzip reason', () => {
  const gz = gzipSync(encodeIdx([2, 2, 3], pixels));
  const path = write('cut.gz', gz.subarray(0, gz.length - 10));
  throwsData(() => readIdx(path, 'images'), new RegExp(`^${path}: cannot gunzip \\(unexpected end of file\\)$`));
});

test('a missing file is a DataError naming it', () => {
  const path = join(dir, 'absent');
  throwsData(() => readIdx(path), `${path}: cannot read (no such file)`);
});
