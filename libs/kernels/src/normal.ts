/**
 * Standard normal draws fast enough for one per pixel of every training batch (augmentation's noise draws 65,536
 * for a batch of 64 32x32 images): Marsaglia and Tsang's ziggurat on their SHR3 generator, as their RNOR
 * (J. Stat. Software 5(8), 2000), its tables built here and its draws made in simd.wat. Box-Muller (a log, a
 * square root, a sine and a cosine per pair) on seedrandom's alea, as the data stage's noise transform draws,
 * took 3.6 to 4.7 times as long side by side.
 */
import { GENERATORS, imageBuffer, imageKernels, MAX_GENERATORS, pointer, ZIGGURAT } from './image-memory';

/**
 * SHR3, Marsaglia's 3-shift xorshift on 32 bits, summed with its previous state as RNOR does: a few integer
 * operations per draw, where alea's int32() took 3.2 to 3.7 times as long side by side.
 */
export class Shr3 {
  /** The 32-bit state, never 0. simd.wat steps addNormal's streams as int32() would. */
  state: number;

  /** Any 32-bit seed; 0, a fixed point of the shifts, is replaced. */
  constructor(seed: number) {
    this.state = seed | 0 || 0x2545f491;
  }

  /** A 32-bit integer, signed. */
  int32(): number {
    const previous = this.state;
    let s = previous;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s;
    return (previous + s) | 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.int32() >>> 0) / 4294967296;
  }
}

/** Where the ziggurat's base layer ends (its tail starts; simd.wat spells it out too) and the area of each of its 128 layers. */
export const R = 3.442619855899;
const AREA = 9.91256303526217e-3;

/**
 * The ziggurat's tables: for layer i, a draw j with |j| < k[i] lies wholly under the curve and is j * w[i];
 * f[i] is the density at the layer's edge.
 */
export const ZIGGURAT_TABLES = (() => {
  const k = new Int32Array(128);
  const w = new Float64Array(128);
  const f = new Float64Array(128);
  const m = 2 ** 31;
  let d = R;
  let t = R;
  const q = AREA / Math.exp(-0.5 * d * d);
  k[0] = Math.floor((d / q) * m);
  k[1] = 0;
  w[0] = q / m;
  w[127] = d / m;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(AREA / d + Math.exp(-0.5 * d * d)));
    k[i + 1] = Math.floor((d / t) * m);
    t = d;
    f[i] = Math.exp(-0.5 * d * d);
    w[i] = d / m;
  }
  return { k, w, f };
})();
const { k, w, f } = ZIGGURAT_TABLES;

/** Streams per image: the lanes of an i32x4. */
export const STREAMS = 4;

/** The streams' states in the kernels' memory, over its buffer as of the last call (a new one after it grew). */
let states: Int32Array | undefined;

/**
 * Adds std * N(0, 1) to every value, in place: `values` (a view of imageArea()) holds one image per generator,
 * each of the same length. An image's value m draws from stream m mod 4 of four SHR3 streams seeded by four
 * integers of the image's generator, so that simd.wat's addNormalImages draws four values at a time, a stream
 * to a lane, in f32: x = j * w where the draw j lies inside its layer, else the rest of Marsaglia and Tsang's
 * RNOR (in f64, rounded to f32). One call for the whole slice.
 */
export function addNormal(values: Float32Array, std: number, generators: Shr3[]): void {
  const kernels = imageKernels();
  const buffer = imageBuffer();
  if (states === undefined) {
    // The tables, once: the memory keeps them as it grows.
    new Int32Array(buffer, ZIGGURAT, 128).set(k);
    new Float64Array(buffer, ZIGGURAT + 512, 256).set([...w, ...f]);
    const pairs = new Int32Array(buffer, ZIGGURAT + 2560, 256);
    const widths = new Float32Array(buffer, ZIGGURAT + 2560, 256);
    for (let i = 0; i < 128; i++) {
      pairs[2 * i] = k[i];
      widths[2 * i + 1] = w[i];
    }
  }
  if (states?.buffer !== buffer) states = new Int32Array(buffer, GENERATORS, MAX_GENERATORS);
  const n = values.length / generators.length;
  if (!Number.isInteger(n)) throw new Error(`addNormal: ${values.length} values do not split into ${generators.length} images`);
  const at = pointer(values);
  const perCall = MAX_GENERATORS / STREAMS;
  for (let first = 0; first < generators.length; first += perCall) {
    const some = generators.slice(first, first + perCall);
    some.forEach((g, i) => {
      for (let lane = 0; lane < STREAMS; lane++) states![STREAMS * i + lane] = new Shr3(g.int32()).state;
    });
    kernels.addNormalImages(at + 4 * first * n, some.length, n, std, GENERATORS, ZIGGURAT);
  }
}
