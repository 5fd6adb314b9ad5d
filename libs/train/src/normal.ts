/**
 * Standard normal draws fast enough for one per pixel of every training batch (augmentation's noise draws 65,536
 * for a batch of 64 32x32 images): Marsaglia and Tsang's ziggurat on their SHR3 generator, as their RNOR
 * (J. Stat. Software 5(8), 2000). Box-Muller (a log, a square root, a sine and a cosine per pair) on seedrandom's
 * alea, as the data stage's noise transform draws, took 3.6 to 4.7 times as long side by side.
 */

/**
 * SHR3, Marsaglia's 3-shift xorshift on 32 bits, summed with its previous state as RNOR does: a few integer
 * operations per draw, where alea's int32() took 3.2 to 3.7 times as long side by side.
 */
export class Shr3 {
  /** The 32-bit state, never 0. addNormal steps it in a local of its own, as int32() would. */
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

/** Where the ziggurat's base layer ends (its tail starts) and the area of each of its 128 layers. */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;

/**
 * The ziggurat's tables: for layer i, a draw j with |j| < k[i] lies wholly under the curve and is j * w[i];
 * f[i] is the density at the layer's edge.
 */
const { k, w, f } = (() => {
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

/** A draw from N(0, 1): 99% of them cost one 32-bit integer and a multiplication. */
export function normal(g: Shr3): number {
  const j = g.int32();
  const i = j & 127;
  return Math.abs(j) < k[i] ? j * w[i] : outsideLayer(j, g);
}

/**
 * Adds std * normal(g) to every value, in place, draw by draw. normal() and Shr3.int32() are written out in a
 * loop of their own, the generator's state in a local, which a draw outside its layer (about 1 in 36) leaves
 * for outsideLayer: about a third less time than drawing the integers in bulk first (side by side, 64 images of
 * 32x32).
 */
export function addNormal(values: Float32Array, std: number, g: Shr3): void {
  const n = values.length;
  // `| 0`: the state stays a 32-bit integer in the JIT's eyes.
  let s = g.state | 0;
  let m = 0;
  for (;;) {
    let j = 0;
    for (; m < n; m++) {
      const previous = s;
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      j = (previous + s) | 0;
      const i = j & 127;
      if (Math.abs(j) >= k[i]) break;
      values[m] += std * (j * w[i]);
    }
    if (m === n) break;
    g.state = s;
    values[m++] += std * outsideLayer(j, g);
    s = g.state | 0;
  }
  g.state = s;
}

/** The rest of the ziggurat: a draw `j` that did not fall wholly under the curve in its layer. */
function outsideLayer(j: number, g: Shr3): number {
  for (;;) {
    const i = j & 127;
    const x = j * w[i];
    if (Math.abs(j) < k[i]) return x;
    if (i === 0) {
      // The tail beyond R, by Marsaglia's method.
      let t: number;
      let y: number;
      do {
        t = -Math.log(1 - g.uniform()) / R;
        y = -Math.log(1 - g.uniform());
      } while (y + y < t * t);
      return j > 0 ? R + t : -R - t;
    }
    if (f[i] + g.uniform() * (f[i - 1] - f[i]) < Math.exp(-0.5 * x * x)) return x;
    j = g.int32();
  }
}
