import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { callsOf, assertNoLeaks, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf, smallConvCases, useBackend, type ConvCase } from '../testing';

type Case = ConvCase;

async function check(c: Case, seed: number, tolerance = 1e-4): Promise<number> {
  const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
  const info = backend_util.computeConv2DInfo(c.x, filterShape, c.strides, 1, c.pad, undefined, false, 'channelsLast');
  const rand = seededRandom(seed);
  const inputs = {
    x: { values: randomValues(sizeOf(c.x), rand), shape: c.x },
    dy: { values: randomValues(sizeOf(info.outShape), rand), shape: info.outShape },
  };
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape } as unknown as NamedAttrMap;
  const expected = await runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
  const actual = await runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
  assert.deepEqual(actual.shape, filterShape);
  const err = relativeError(actual.values, expected.values);
  assert.ok(err <= tolerance, `${JSON.stringify(c)}: relative error ${err}`);
  return err;
}

const small = smallConvCases();

const lenetCases: Array<[string, Case, number]> = [
  ['LeNet-5 C1', { x: [64, 32, 32, 1], k: [5, 5], cout: 6, strides: [1, 1], pad: 'valid' }, 1],
  ['LeNet-5 C3', { x: [64, 14, 14, 6], k: [5, 5], cout: 16, strides: [1, 1], pad: 'valid' }, 2],
  ['LeNet-5 C5', { x: [64, 5, 5, 16], k: [5, 5], cout: 120, strides: [1, 1], pad: 'valid' }, 3],
  ["LeNet-5 C1, 28x28 'same'", { x: [64, 28, 28, 1], k: [5, 5], cout: 6, strides: [1, 1], pad: 'same' }, 4],
  // The NHWC pass takes channels in pairs and sixteens: two passes over the output channels here.
  ['4 channels in, 32 out, 3x2 filter', { x: [2, 9, 7, 4], k: [3, 2], cout: 32, strides: [1, 1], pad: 'valid' }, 5],
  ["16 channels in, 32 out, 'same' (fashion-small-convnet's conv2)", { x: [2, 14, 14, 16], k: [3, 3], cout: 32, strides: [1, 1], pad: 'same' }, 6],
];

// The grayscale pass takes channels in two groups of four, the last groups moved back to end at Cout, and
// pixels in fours then one at a time: Cout 4, 9 and 12, rows of 3, 5 and 8 pixels.
const grayCases: Case[] = [
  { x: [2, 7, 5, 1], k: [3, 3], cout: 4, strides: [1, 1], pad: 'valid' },
  { x: [3, 6, 7, 1], k: [2, 3], cout: 9, strides: [1, 1], pad: 'valid' },
  { x: [1, 9, 10, 1], k: [4, 3], cout: 12, strides: [1, 1], pad: 'valid' },
  { x: [2, 7, 7, 1], k: [3, 3], cout: 6, strides: [1, 1], pad: 'same' }, // on a padded copy of x
  // Filters five or more wide: four taps at a time across the filter's rows, the last four moved back.
  { x: [3, 12, 11, 1], k: [5, 5], cout: 6, strides: [1, 1], pad: 'valid' }, // LeNet-5's C1, smaller: taps 21-24 last
  { x: [2, 9, 13, 1], k: [3, 7], cout: 4, strides: [1, 1], pad: 'valid' }, // taps 17-20 last
  { x: [2, 8, 14, 1], k: [2, 10], cout: 9, strides: [1, 1], pad: 'valid' }, // five fours, channels moved back
  { x: [2, 4, 9, 1], k: [1, 5], cout: 5, strides: [1, 1], pad: 'valid' }, // one row: taps 0-3, then 1-4
  { x: [2, 10, 10, 1], k: [5, 5], cout: 16, strides: [1, 1], pad: 'same' },
];

describe('Conv2DBackpropFilter on wasm matches tfjs-backend-cpu', () => {
  before(setUpBackends);

  test(`${small.length} small cases: strides 1/2, valid/same/numeric/explicit pads, odd sizes, batch 1-3`, async (t) => {
    let worst = 0;
    for (const [i, c] of small.entries()) worst = Math.max(worst, await check(c, 100 + i));
    t.diagnostic(`worst relative error ${worst.toExponential(2)}`);
  });

  for (const [name, c, seed] of lenetCases) {
    test(`${name}: x [${c.x}], filter [${c.k},${c.x[3]},${c.cout}]`, async (t) => {
      t.diagnostic(`relative error ${(await check(c, seed)).toExponential(2)}`);
    });
  }

  test('one channel in, four or more out: the grayscale SIMD pass, for each way of grouping channels and pixels', async () => {
    const calls = await callsOf('convFilterGradGray', async () => {
      for (const [i, c] of grayCases.entries()) await check(c, 200 + i, 1e-5);
    });
    assert.equal(calls, grayCases.length);
  });

  test('each path leaks no tensors, bytes or backend buffers', async () => {
    await useBackend('wasm');
    // x, dy and attrs, one per path: a forward conv (strided, 'same'), the same with a slice of its output, a matrix
    // product (the filter covers the input), the NHWC SIMD pass, the grayscale SIMD pass.
    const calls: Array<[number[], number[], tf.NamedAttrMap]> = [
      [[2, 7, 9, 3], [2, 4, 5, 4], { strides: 2, pad: 'same', filterShape: [3, 3, 3, 4] }],
      [[1, 5, 5, 1], [1, 2, 2, 6], { strides: 2, pad: 'valid', filterShape: [2, 2, 1, 6] }],
      [[3, 5, 5, 4], [3, 1, 1, 6], { strides: 1, pad: 'valid', filterShape: [5, 5, 4, 6] }],
      [[2, 6, 6, 2], [2, 4, 4, 16], { strides: 1, pad: 'valid', filterShape: [3, 3, 2, 16] }],
      [[2, 6, 6, 1], [2, 4, 4, 6], { strides: 1, pad: 'valid', filterShape: [3, 3, 1, 6] }],
    ];
    assertNoLeaks(() =>
      tf.tidy(() => {
        for (const [x, dy, attrs] of calls) tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.ones(x), dy: tf.ones(dy) }, { ...attrs, dataFormat: 'NHWC' });
      }),
    );
  });

  test('rejects NCHW rather than computing something wrong', async () => {
    const inputs = {
      x: { values: new Float32Array(2 * 3 * 5 * 5), shape: [2, 3, 5, 5] },
      dy: { values: new Float32Array(2 * 4 * 3 * 3), shape: [2, 4, 3, 3] },
    };
    const attrs = {
      strides: 1,
      pad: 'valid',
      dataFormat: 'NCHW',
      filterShape: [3, 3, 3, 4],
    } as unknown as NamedAttrMap;
    await assert.rejects(runKernelOn('wasm', 'Conv2DBackpropFilter', inputs, attrs), /NHWC/);
  });
});
