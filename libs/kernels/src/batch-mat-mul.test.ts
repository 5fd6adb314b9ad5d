import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

const matmuls: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
  { a: [1, 64, 1024], b: [1, 1024, 60], transposeA: false, transposeB: false },
  { a: [1, 64, 1024], b: [1, 64, 60], transposeA: true, transposeB: false }, // dense dW = xᵀ·dy
  { a: [1, 64, 60], b: [1, 1024, 60], transposeA: false, transposeB: true }, // dense dx = dy·Wᵀ
  { a: [2, 5, 3], b: [2, 4, 5], transposeA: true, transposeB: true },
  { a: [3, 1, 7], b: [1, 7, 2], transposeA: false, transposeB: false }, // broadcast batch
  { a: [1, 7, 1], b: [3, 2, 7], transposeA: true, transposeB: true },
];

for (const { a, b, transposeA, transposeB } of matmuls) {
  test(`BatchMatMul a=[${a}] b=[${b}] transposeA=${transposeA} transposeB=${transposeB} matches cpu`, async () => {
    const rand = seededRandom(sizeOf(a) + sizeOf(b));
    const inputs = { a: { values: randomValues(sizeOf(a), rand), shape: a }, b: { values: randomValues(sizeOf(b), rand), shape: b } };
    const attrs = { transposeA, transposeB };
    const cpu = await runKernelOn('cpu', 'BatchMatMul', inputs, attrs);
    const wasm = await runKernelOn('wasm', 'BatchMatMul', inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });
}
