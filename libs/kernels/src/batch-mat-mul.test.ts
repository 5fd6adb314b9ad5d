import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { callsOf, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

// ours: one product of at least 3 rows and 4 columns, simd.wat's matmul; the others go to the built-in.
const matmuls: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean; ours: boolean }[] = [
  // As a dense layer's products come: rank 2.
  { a: [64, 1024], b: [1024, 60], transposeA: false, transposeB: false, ours: true }, // y = x·W
  { a: [64, 1024], b: [64, 60], transposeA: true, transposeB: false, ours: true }, // dW = xᵀ·dy
  { a: [64, 10], b: [60, 10], transposeA: false, transposeB: true, ours: true }, // dx = dy·Wᵀ
  { a: [3, 9], b: [9, 5], transposeA: false, transposeB: false, ours: true }, // 3 rows: one pass of the rows
  { a: [2, 9], b: [9, 5], transposeA: false, transposeB: false, ours: false }, // 2 rows
  { a: [9, 8], b: [9, 3], transposeA: true, transposeB: false, ours: false }, // 3 columns
  { a: [5, 7], b: [13, 5], transposeA: true, transposeB: true, ours: true }, // both read transposed; a panel and a bit
  { a: [7, 1], b: [1, 25], transposeA: false, transposeB: false, ours: true }, // k = 1; panels overlap at 25 columns
  { a: [1, 64, 1024], b: [1, 1024, 60], transposeA: false, transposeB: false, ours: true },
  { a: [1, 64, 1024], b: [1, 64, 60], transposeA: true, transposeB: false, ours: true }, // dense dW = xᵀ·dy
  { a: [1, 64, 60], b: [1, 1024, 60], transposeA: false, transposeB: true, ours: true }, // dense dx = dy·Wᵀ
  { a: [1, 6, 9], b: [1, 9, 5], transposeA: false, transposeB: false, ours: true }, // the last rows and columns moved back
  { a: [1, 3, 9], b: [1, 9, 5], transposeA: false, transposeB: false, ours: true }, // 3 rows
  { a: [2, 5, 3], b: [2, 4, 5], transposeA: true, transposeB: true, ours: false },
  { a: [3, 1, 7], b: [1, 7, 2], transposeA: false, transposeB: false, ours: false }, // broadcast batch
  { a: [1, 7, 1], b: [3, 2, 7], transposeA: true, transposeB: true, ours: false },
];

for (const { a, b, transposeA, transposeB, ours } of matmuls) {
  test(`BatchMatMul a=[${a}] b=[${b}] transposeA=${transposeA} transposeB=${transposeB} matches cpu (${ours ? 'one SIMD pass' : 'the built-in'})`, async () => {
    const rand = seededRandom(sizeOf(a) + sizeOf(b));
    const inputs = { a: { values: randomValues(sizeOf(a), rand), shape: a }, b: { values: randomValues(sizeOf(b), rand), shape: b } };
    const attrs = { transposeA, transposeB };
    const cpu = await runKernelOn('cpu', 'BatchMatMul', inputs, attrs);
    const calls = await callsOf('matmul', async () => {
      const wasm = await runKernelOn('wasm', 'BatchMatMul', inputs, attrs);
      assert.deepEqual(wasm.shape, cpu.shape);
      assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
    });
    assert.equal(calls, ours ? 1 : 0);
  });
}

// A transposed a whose rows lie 4 KiB apart is copied untransposed first (its rows read in place alias in L1): the
// same sums in the same order as the product of that copy given untransposed.
for (const [k, m, copied] of [[64, 1024, true], [64, 1000, false], [5, 2048, true]] as const) {
  test(`xᵀ·dy with x [${k}, ${m}]: ${copied ? 'x copied untransposed first' : 'x read in place'}, the bits of the untransposed product`, async () => {
    const rand = seededRandom(k * m);
    const x = randomValues(k * m, rand);
    const xT = new Float32Array(m * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) xT[j * k + i] = x[i * m + j];
    const dy = { values: randomValues(k * 60, rand), shape: [k, 60] };
    let transposed!: Float32Array;
    const copies = await callsOf('transpose2d', async () => {
      transposed = (await runKernelOn('wasm', 'BatchMatMul', { a: { values: x, shape: [k, m] }, b: dy }, { transposeA: true, transposeB: false })).values;
    });
    const plain = await runKernelOn('wasm', 'BatchMatMul', { a: { values: xT, shape: [m, k] }, b: dy }, { transposeA: false, transposeB: false });
    assert.equal(copies, copied ? 1 : 0);
    assert.ok(transposed.every((v, i) => Object.is(v, plain.values[i])), 'bits differ from the untransposed product');
  });
}
