import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './errors';

/** An IDX array: its dimensions (outermost first) and its bytes in row-major order. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** `images`: [N, H, W] or [N, H, W, C]; `labels`: [N]. Without a kind any rank is accepted. */
export type IdxKind = 'images' | 'labels';

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

function checkRank(name: string, kind: IdxKind | undefined, rank: number): void {
  if (kind === 'images' && rank !== 3 && rank !== 4) {
    throw new DataError(`${name}: expected 3 dimensions (N x H x W) or 4 (N x H x W x C) for images, got ${rank}`);
  }
  if (kind === 'labels' && rank !== 1) {
    throw new DataError(`${name}: expected 1 dimension (N) for labels, got ${rank}`);
  }
  if (rank === 0) throw new DataError(`${name}: the IDX header declares 0 dimensions`);
}

/**
 * Parses IDX bytes (gzipped or plain: gzip is recognised by its magic bytes, not by the file name).
 * `name` is only used in messages. The returned data is a view into `bytes` (or into the gunzipped copy).
 */
export function parseIdx(bytes: Uint8Array, name: string, kind?: IdxKind): IdxArray {
  let buf = bytes;
  const gzipped = isGzip(bytes);
  if (gzipped) {
    try {
      buf = gunzipSync(bytes);
    } catch (e) {
      throw new DataError(`${name}: cannot gunzip (${(e as Error).message})`);
    }
  }
  const unpacked = gzipped ? ' after gunzip' : '';
  if (buf.length < 4) throw new DataError(`${name}: ${buf.length} bytes${unpacked} is too short for an IDX header`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new DataError(`${name}: not an IDX file (starts with ${hex(buf[0])} ${hex(buf[1])}, expected 0x00 0x00)`);
  }
  if (buf[2] !== UNSIGNED_BYTE) {
    const type = TYPE_NAMES[buf[2]] ? ` (${TYPE_NAMES[buf[2]]})` : '';
    throw new DataError(`${name}: IDX type ${hex(buf[2])}${type} is not supported; expected 0x08 (unsigned byte)`);
  }
  const rank = buf[3];
  checkRank(name, kind, rank);
  const header = 4 + 4 * rank;
  if (buf.length < header) {
    throw new DataError(`${name}: ${buf.length} bytes${unpacked} is too short for an IDX header of ${rank} dimensions (${header} bytes)`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (buf.length !== expected) {
    const what = kind === undefined ? `a ${dims.join('x')} array` : kind === 'labels' ? `${dims[0]} labels` : `${dims.join('x')} images`;
    throw new DataError(`${name}: expected ${expected} bytes for ${what}, got ${buf.length}${unpacked}`);
  }
  if (kind === 'images' && dims.slice(1).some((d) => d === 0)) {
    throw new DataError(`${name}: images of ${dims.slice(1).join('x')} are empty`);
  }
  return { dims, data: buf.subarray(header) };
}

/** Reads and parses an IDX file; every failure, including a missing file, is a DataError naming it. */
export function readIdx(file: string, kind?: IdxKind): IdxArray {
  return parseIdx(readBytes(file), file, kind);
}

export function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new DataError(`${file}: cannot read (${why})`);
  }
}

/** Encodes unsigned bytes as an IDX file (plain): for fixtures and for tools that write datasets. */
export function encodeIdx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new DataError(`encodeIdx: ${data.length} values do not fill ${dims.join('x')}`);
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}
