import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { imageArea } from './image-memory';
import { addNormal, R, Shr3, STREAMS, ZIGGURAT_TABLES } from './normal';

const { k, w, f } = ZIGGURAT_TABLES;

/** The reference: a draw from N(0, 1) by RNOR as Marsaglia and Tsang wrote it, in JavaScript, from its first integer j. */
function normal(g: Shr3, j = g.int32()): number {
  for (;;) {
    const i = j & 127;
    const x = j * w[i];
    if (Math.abs(j) < k[i]) return x;
    if (i === 0) {
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

test('Shr3: the same seed gives the same integers, another seed others, seed 0 does not stick at 0; uniform lies in [0, 1) with mean ~1/2', () => {
  const draw = (seed: number) => {
    const g = new Shr3(seed);
    return Array.from({ length: 5 }, () => g.int32());
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  assert.ok(draw(0).every((j) => j !== 0));
  const g = new Shr3(3);
  const u = Array.from({ length: 100_000 }, () => g.uniform());
  assert.ok(u.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(u.reduce((a, x) => a + x, 0) / u.length - 0.5) < 0.005);
});

test('addNormal, 2,000,000 draws: mean 0, variance 1, kurtosis 3, and the tails of N(0, 1) beyond 1, 2, 3 and 4', () => {
  const n = 2_000_000;
  const draws = imageArea(n).fill(0);
  addNormal(draws, 1, [new Shr3(11)]);
  let sum = 0;
  let squares = 0;
  let fourth = 0;
  const beyond = [0, 0, 0, 0];
  for (const x of draws) {
    sum += x;
    squares += x * x;
    fourth += x ** 4;
    for (let t = 0; t < 4; t++) if (Math.abs(x) > t + 1) beyond[t]++;
  }
  assert.ok(Math.abs(sum / n) < 0.003, `mean ${sum / n}`);
  assert.ok(Math.abs(squares / n - 1) < 0.005, `variance ${squares / n}`);
  assert.ok(Math.abs(fourth / n - 3) < 0.05, `kurtosis ${fourth / n}`);
  // P(|X| > t) for the standard normal: 2 (1 - Phi(t)).
  const expected = [0.31731, 0.0455, 0.0027, 6.334e-5];
  beyond.forEach((count, t) => {
    const p = count / n;
    const sd = Math.sqrt((expected[t] * (1 - expected[t])) / n);
    assert.ok(Math.abs(p - expected[t]) < 5 * sd, `P(|X| > ${t + 1}) = ${p}, expected ${expected[t]}`);
  });
});

/** The kernel's draw, in f32: j * w in f32 where j lies inside its layer, else normal()'s rest, rounded. */
function normal32(g: Shr3): number {
  const j = g.int32();
  const i = j & 127;
  return Math.abs(j) < k[i] ? Math.fround(Math.fround(j) * Math.fround(w[i])) : Math.fround(normal(g, j));
}

/** `values` as addNormal leaves them, image by image: value m of an image adds std * normal32() of stream m mod 4. */
function reference(values: Float32Array, std: number, seeds: number[]): Float32Array {
  const out = Float32Array.from(values);
  const n = values.length / seeds.length;
  seeds.forEach((seed, image) => {
    const g = new Shr3(seed);
    const streams = Array.from({ length: STREAMS }, () => new Shr3(g.int32()));
    for (let m = 0; m < n; m++) {
      const at = image * n + m;
      out[at] = Math.fround(out[at] + Math.fround(Math.fround(std) * normal32(streams[m % STREAMS])));
    }
  });
  return out;
}

test('addNormal over 100,001 values adds std * N(0, 1) as the reference does, bit for bit, the draws outside the layers and in the tail among them', () => {
  const n = 100_001;
  const values = imageArea(n);
  values.set(Float32Array.from({ length: n }, (_, i) => i / 1000));
  const expected = reference(values, 0.3, [5]);
  addNormal(values, 0.3, [new Shr3(5)]);
  assert.deepEqual(values, expected);
  // The reference's draws again, counting those outside their layers and those in the tail beyond R.
  const g = new Shr3(5);
  const streams = Array.from({ length: STREAMS }, () => new Shr3(g.int32()));
  let outside = 0;
  let tail = 0;
  for (let m = 0; m < n; m++) {
    const stream = streams[m % STREAMS];
    const oneDraw = new Shr3(stream.state);
    oneDraw.int32();
    const x = normal32(stream);
    // A draw outside its layer takes more integers than one.
    if (stream.state !== oneDraw.state) outside++;
    if (Math.abs(x) > R) tail++;
  }
  assert.ok(outside > 100, `${outside} draws outside the layers`);
  assert.ok(tail > 10, `${tail} draws in the tail`);
});

test('addNormal over 771 images of 1, 5 and 8 values (the last values after whole fours, and more images than one call takes): each image from its own generator, bit for bit', () => {
  for (const n of [1, 5, 8]) {
    const count = 771;
    const values = imageArea(count * n);
    values.set(Float32Array.from({ length: count * n }, (_, i) => Math.sin(i)));
    const seeds = Array.from({ length: count }, (_, i) => 1000 + i);
    const expected = reference(values, 0.7, seeds);
    const generators = seeds.map((seed) => new Shr3(seed));
    addNormal(values, 0.7, generators);
    assert.deepEqual(values, expected, `${n} values an image`);
    // Each generator gave its image's four streams their seeds, and nothing more.
    const after = seeds.map((seed) => {
      const g = new Shr3(seed);
      for (let i = 0; i < STREAMS; i++) g.int32();
      return g.state;
    });
    assert.deepEqual(generators.map((g) => g.state), after);
  }
  assert.throws(() => addNormal(imageArea(7), 1, [new Shr3(1), new Shr3(2)]), { message: 'addNormal: 7 values do not split into 2 images' });
});
