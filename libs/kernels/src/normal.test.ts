import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { imageArea } from './image-memory';
import { addNormal, R, Shr3, ZIGGURAT_TABLES } from './normal';

const { k, w, f } = ZIGGURAT_TABLES;

/** The reference: a draw from N(0, 1) by RNOR as Marsaglia and Tsang wrote it, in JavaScript. */
function normal(g: Shr3): number {
  let j = g.int32();
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

test('addNormal over 100,000 values adds std * normal() draw by draw, bit for bit, the draws outside the layers and in the tail among them, and leaves the generator where normal() does', () => {
  const values = imageArea(100_000);
  values.set(Float32Array.from({ length: 100_000 }, (_, i) => i / 1000));
  const expected = Float32Array.from(values);
  const g = new Shr3(5);
  addNormal(values, 0.3, [g]);
  const h = new Shr3(5);
  let outside = 0;
  let tail = 0;
  for (let i = 0; i < expected.length; i++) {
    const oneDraw = new Shr3(h.state);
    oneDraw.int32();
    const x = normal(h);
    expected[i] += 0.3 * x;
    // A draw outside its layer takes more integers than one.
    if (h.state !== oneDraw.state) outside++;
    if (Math.abs(x) > R) tail++;
  }
  assert.deepEqual(values, expected);
  assert.equal(g.state, h.state);
  assert.ok(outside > 100, `${outside} draws outside the layers`);
  assert.ok(tail > 10, `${tail} draws in the tail`);
});

test('addNormal over 771 images of 5 values (pairs, an odd one, and more generators than one call takes): each image std * normal() from its own generator, bit for bit', () => {
  const [count, n] = [771, 5];
  const values = imageArea(count * n);
  values.set(Float32Array.from({ length: count * n }, (_, i) => Math.sin(i)));
  const expected = Float32Array.from(values);
  const generators = Array.from({ length: count }, (_, i) => new Shr3(1000 + i));
  addNormal(values, 0.7, generators);
  const references = Array.from({ length: count }, (_, i) => new Shr3(1000 + i));
  references.forEach((h, image) => {
    for (let m = 0; m < n; m++) expected[image * n + m] += 0.7 * normal(h);
  });
  assert.deepEqual(values, expected);
  assert.deepEqual(generators.map((g) => g.state), references.map((h) => h.state));
  assert.throws(() => addNormal(imageArea(7), 1, [new Shr3(1), new Shr3(2)]), { message: 'addNormal: 7 values do not split into 2 images' });
});
