import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { callsOf, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

// ours: simd.wat's conv, or its matmul ('matmul') where the filter covers the input.
const cases: Array<{ x: number[]; w: number[]; strides: number; pad: 'valid' | 'same'; ours: boolean | 'matmul' }> = [
  { x: [64, 32, 32, 1], w: [5, 5, 1, 6], strides: 1, pad: 'valid', ours: true }, // LeNet-5's C1
  { x: [2, 9, 11, 1], w: [3, 2, 1, 5], strides: 1, pad: 'valid', ours: true }, // 5 channels, 10 columns: both last groups moved back
  { x: [2, 6, 7, 1], w: [2, 4, 1, 12], strides: 1, pad: 'valid', ours: true }, // 12 channels (the second pass's groups coincide), 4 columns
  { x: [1, 5, 9, 1], w: [3, 3, 1, 4], strides: 1, pad: 'valid', ours: true }, // 4 channels: both groups are the same four
  { x: [1, 4, 3, 1], w: [2, 2, 1, 4], strides: 1, pad: 'valid', ours: true }, // 2 columns: pixels taken across rows
  { x: [2, 6, 6, 1], w: [3, 3, 1, 3], strides: 1, pad: 'valid', ours: false }, // fewer channels than a vector
  { x: [2, 9, 9, 1], w: [3, 3, 1, 4], strides: 2, pad: 'valid', ours: false },
  { x: [2, 9, 9, 1], w: [3, 3, 1, 4], strides: 1, pad: 'same', ours: true }, // 'same': on a padded copy of x
  { x: [2, 9, 9, 3], w: [3, 3, 3, 4], strides: 1, pad: 'valid', ours: true }, // three channels in
  { x: [64, 14, 14, 6], w: [5, 5, 6, 16], strides: 1, pad: 'valid', ours: true }, // LeNet-5's C3
  { x: [64, 5, 5, 16], w: [5, 5, 16, 120], strides: 1, pad: 'valid', ours: 'matmul' }, // C5: one pixel per image, a product
  { x: [4, 4, 4, 2], w: [4, 4, 2, 6], strides: 1, pad: 'valid', ours: 'matmul' }, // 4 images: the last three rows overlap the first
  { x: [3, 4, 5, 2], w: [4, 4, 2, 6], strides: 1, pad: 'valid', ours: true }, // 6 pixels: the last four overlap the first
  { x: [3, 4, 4, 2], w: [4, 4, 2, 6], strides: 1, pad: 'valid', ours: false }, // 3 pixels in all
];

for (const c of cases) {
  test(`Conv2D x=[${c.x}] w=[${c.w}] stride ${c.strides} ${c.pad} on wasm matches cpu (${c.ours === 'matmul' ? 'as a product' : c.ours ? 'one SIMD pass' : 'the built-in'})`, async () => {
    const rand = seededRandom(sizeOf(c.x));
    const inputs = { x: { values: randomValues(sizeOf(c.x), rand), shape: c.x }, filter: { values: randomValues(sizeOf(c.w), rand), shape: c.w } };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
    const cpu = await runKernelOn('cpu', 'Conv2D', inputs, attrs);
    let products = 0;
    const calls = await callsOf('conv', async () => {
      products = await callsOf('matmul', async () => {
        const wasm = await runKernelOn('wasm', 'Conv2D', inputs, attrs);
        assert.deepEqual(wasm.shape, cpu.shape);
        assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
      });
    });
    assert.deepEqual([calls, products], c.ours === 'matmul' ? [0, 1] : c.ours ? [1, 0] : [0, 0]);
  });
}
