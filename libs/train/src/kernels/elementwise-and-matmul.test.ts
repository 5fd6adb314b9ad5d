import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from './test-util';

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

const pools: { x: number[]; size: [number, number]; strides: [number, number]; pad: 'valid' | 'same' }[] = [
  { x: [64, 28, 28, 6], size: [2, 2], strides: [2, 2], pad: 'valid' }, // LeNet-5's S2
  { x: [2, 10, 10, 16], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 28, 28, 6], size: [2, 2], strides: [2, 2], pad: 'valid' }, // a vector and two floats per pixel
  { x: [1, 7, 9, 3], size: [3, 2], strides: [2, 1], pad: 'valid' }, // overlapping windows, odd sizes
  { x: [1, 5, 5, 2], size: [2, 2], strides: [2, 2], pad: 'valid' }, // last row and column unused
  { x: [2, 5, 5, 2], size: [3, 3], strides: [2, 2], pad: 'same' }, // delegated to the built-in
];

for (const { x, size, strides, pad } of pools) {
  test(`AvgPool x=[${x}] f=[${size}] s=[${strides}] p=${pad} matches cpu`, async () => {
    const inputs = { x: { values: randomValues(sizeOf(x), seededRandom(sizeOf(x) + 7)), shape: x } };
    const attrs = { filterSize: size, strides, pad };
    const cpu = await runKernelOn('cpu', 'AvgPool', inputs, attrs);
    const wasm = await runKernelOn('wasm', 'AvgPool', inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-6, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });

  test(`AvgPoolGrad x=[${x}] f=[${size}] s=[${strides}] p=${pad} matches cpu`, async () => {
    const rand = seededRandom(sizeOf(x));
    const info = { outH: pad === 'same' ? Math.ceil(x[1] / strides[0]) : Math.floor((x[1] - size[0]) / strides[0]) + 1, outW: pad === 'same' ? Math.ceil(x[2] / strides[1]) : Math.floor((x[2] - size[1]) / strides[1]) + 1 };
    const dyShape = [x[0], info.outH, info.outW, x[3]];
    const inputs = { dy: { values: randomValues(sizeOf(dyShape), rand), shape: dyShape }, input: { values: randomValues(sizeOf(x), rand), shape: x } };
    const attrs = { filterSize: size, strides, pad };
    const cpu = await runKernelOn('cpu', 'AvgPoolGrad', inputs, attrs);
    const wasm = await runKernelOn('wasm', 'AvgPoolGrad', inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });
}
