import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { DataError } from './errors';
import { luma } from './transforms/grayscale';

/** One decoded file: its pixels as floats in [0, 1] (HWC, the channels asked for), its size as stored, and the sha256 of its bytes. */
export interface DecodedImage {
  data: Float32Array;
  height: number;
  width: number;
  sha256: string;
}

// sharp runs on libuv's threadpool (4 threads unless told): one per core, read when the pool first starts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));

/** byte / 255 as float32, as IDX pixels are read. */
const SCALE = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/**
 * Decodes image files with sharp (libvips: PNG, JPEG, WebP, GIF, TIFF, AVIF...) to raw 8-bit pixels, turned
 * upright by their EXIF orientation as browsers and OpenCV show them, then to `channels`: a gray file's
 * channel repeated, a colour file's made gray as the grayscale transform does, alpha dropped.
 * `each` runs on every image as it comes (the per-image transforms); `log` gets progress lines.
 * Several files at a time, one libvips thread each: tiny images gain nothing from splitting one.
 */
export async function decodeImages<T>(files: readonly string[], channels: 1 | 3, each: (image: DecodedImage, index: number) => T, log?: (line: string) => void): Promise<T[]> {
  const sharp = require('sharp') as typeof import('sharp');
  sharp.cache(false);
  sharp.concurrency(1);
  const out = new Array<T>(files.length);
  const cores = availableParallelism();
  const progress = progressLines(files.length, cores, log);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < files.length && !failed) {
      const i = next++;
      try {
        out[i] = each(await decodeOne(sharp, files[i], channels), i);
      } catch (e) {
        failed = true;
        throw e;
      }
      progress.done();
    }
  };
  // Bounded: a few files per core in flight, so 100,000 files never hold 100,000 descriptors.
  await Promise.all(Array.from({ length: Math.min(files.length, 4 * cores) }, worker));
  progress.end();
  return out;
}

async function decodeOne(sharp: typeof import('sharp'), file: string, channels: 1 | 3): Promise<DecodedImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DataError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
  }
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    // failOn 'warning': a truncated JPEG or PNG is an error, not an image with a grey tail
    raw = await sharp(bytes, { failOn: 'warning' }).autoOrient().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    const why = String((e as Error).message).split('\n')[0].trim();
    throw new DataError(/unsupported image format/i.test(why) ? `${file}: not an image (sharp reads PNG, JPEG, WebP, GIF, TIFF, AVIF and SVG; ${why})` : `${file}: a damaged or truncated image (${why})`);
  }
  const { data, info } = raw;
  const pixels = info.width * info.height;
  const from = info.channels;
  const out = new Float32Array(pixels * channels); // [H, W, channels]
  for (let p = 0, s = 0; p < pixels; p++, s += from) {
    if (from < 3) {
      // gray, or gray and alpha
      const v = SCALE[data[s]];
      if (channels === 1) out[p] = v;
      else out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = v;
    } else if (channels === 1) out[p] = luma(SCALE[data[s]], SCALE[data[s + 1]], SCALE[data[s + 2]]);
    else {
      out[3 * p] = SCALE[data[s]];
      out[3 * p + 1] = SCALE[data[s + 1]];
      out[3 * p + 2] = SCALE[data[s + 2]];
    }
  }
  return { data: out, height: info.height, width: info.width, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A line at each quarter (of a thousand files or more) and one at the end: a log shows progress without carriage-return noise. */
function progressLines(total: number, cores: number, log?: (line: string) => void) {
  const started = Date.now();
  const quarter = Math.ceil(total / 4);
  let count = 0;
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = () => n(Math.round(count / Math.max((Date.now() - started) / 1000, 1e-3)));
  return {
    done() {
      count++;
      if (log && total >= 1000 && count % quarter === 0 && count < total) log(`decoding images: ${n(count)}/${n(total)} (${rate()}/s)`);
    },
    end() {
      log?.(`decoded ${n(total)} images in ${((Date.now() - started) / 1000).toFixed(1)} s (${rate()}/s on ${cores} ${cores === 1 ? 'core' : 'cores'})`);
    },
  };
}
