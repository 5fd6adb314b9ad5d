import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, NamedAttrMap } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { inputGradPlan } from './conv2d-backprop-input';
import { assertNoLeaks, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf, smallConvCases, useBackend, type ConvCase } from '../testing';

type Case = ConvCase;

function attrsOf(c: Case): Conv2DBackpropInputAttrs {
  return { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
}

function shapesOf(c: Case): { filter: number[]; dy: number[] } {
  const filter: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.cout];
  const info = backend_util.computeConv2DInfo(c.x, filter, c.strides, 1, c.pad, undefined, false, 'channelsLast');
  return { filter, dy: info.outShape };
}

async function check(c: Case, seed: number, tolerance = 1e-4): Promise<number> {
  const shapes = shapesOf(c);
  const rand = seededRandom(seed);
  const inputs = {
    dy: { values: randomValues(sizeOf(shapes.dy), rand), shape: shapes.dy },
    filter: { values: randomValues(sizeOf(shapes.filter), rand), shape: shapes.filter },
  };
  const attrs = attrsOf(c) as unknown as NamedAttrMap;
  const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
  const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
  assert.deepEqual(actual.shape, c.x);
  const err = relativeError(actual.values, expected.values);
  assert.ok(err <= tolerance, `${JSON.stringify(c)}: relative error ${err}`);
  return err;
}

function methodOf(c: Case): string {
  const shapes = shapesOf(c);
  return inputGradPlan(attrsOf(c), shapes.dy, shapes.filter)?.method ?? 'built-in';
}

const small = smallConvCases();

const lenetCases: Array<[string, Case, number, string]> = [
  ['LeNet-5 C1', { x: [64, 32, 32, 1], k: [5, 5], cout: 6, strides: [1, 1], pad: 'valid' }, 11, 'depthwise'],
  ['LeNet-5 C3', { x: [64, 14, 14, 6], k: [5, 5], cout: 16, strides: [1, 1], pad: 'valid' }, 12, 'direct'],
  ['LeNet-5 C5', { x: [64, 5, 5, 16], k: [5, 5], cout: 120, strides: [1, 1], pad: 'valid' }, 13, 'direct'],
  [
    "LeNet-5 C1, 28x28 'same'",
    { x: [64, 28, 28, 1], k: [5, 5], cout: 6, strides: [1, 1], pad: 'same' },
    14,
    'depthwise',
  ],
];

describe('Conv2DBackpropInput on wasm matches tfjs-backend-cpu', () => {
  before(setUpBackends);

  test(`${small.length} small cases: strides 1/2, valid/same/numeric/explicit pads, odd sizes, batch 1-3`, async (t) => {
    let worst = 0;
    for (const [i, c] of small.entries()) worst = Math.max(worst, await check(c, 200 + i));
    const methods = new Map<string, number>();
    for (const c of small) methods.set(methodOf(c), (methods.get(methodOf(c)) ?? 0) + 1);
    t.diagnostic(`worst relative error ${worst.toExponential(2)}; cases per method ${JSON.stringify([...methods])}`);
    assert.deepEqual([...methods.keys()].sort(), ['col2im', 'conv', 'depthwise', 'matmul'], 'no NHWC case is delegated');
  });

  for (const [name, c, seed, method] of lenetCases) {
    test(`${name}: dx [${c.x}], filter [${c.k},${c.x[3]},${c.cout}] (${method})`, async (t) => {
      assert.equal(methodOf(c), method);
      t.diagnostic(`relative error ${(await check(c, seed)).toExponential(2)}`);
    });
  }

  test('the direct pass: images in fours and input channels in pairs, the last ones repeated; taps cut at every edge', async () => {
    // batch 1, 3, 5 and 6 (one group short, one image over a group, two over); 2, 3 and 5 input channels; filters
    // taller, wider than the input in one direction, or covering it whole
    const cases: Case[] = [
      { x: [1, 6, 7, 2], k: [3, 2], cout: 4, strides: [1, 1], pad: 'valid' },
      { x: [3, 5, 9, 3], k: [5, 3], cout: 8, strides: [1, 1], pad: 'valid' },
      { x: [5, 4, 4, 5], k: [4, 4], cout: 12, strides: [1, 1], pad: 'valid' },
      { x: [6, 9, 3, 2], k: [2, 3], cout: 4, strides: [1, 1], pad: 'valid' },
    ];
    for (const [i, c] of cases.entries()) {
      assert.equal(methodOf(c), 'direct');
      await check(c, 400 + i);
    }
  });

  test('padded stride-1 convs (fashion-small-convnet\'s): the forward conv of dy padded by the forward pad', async () => {
    const cases: Case[] = [
      { x: [3, 6, 5, 4], k: [3, 3], cout: 8, strides: [1, 1], pad: 'same' },
      { x: [2, 5, 6, 3], k: [2, 3], cout: 4, strides: [1, 1], pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
      { x: [4, 14, 14, 16], k: [3, 3], cout: 32, strides: [1, 1], pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      assert.equal(methodOf(c), 'conv');
      await check(c, 410 + i);
    }
  });

  test('pads wider than the filter and 1x1 stride-2 convs are computed with a crop of dy', async () => {
    const cases: Case[] = [
      {
        x: [2, 6, 6, 3],
        k: [3, 3],
        cout: 4,
        strides: [1, 1],
        pad: [
          [0, 0],
          [3, 1],
          [0, 4],
          [0, 0],
        ],
      },
      { x: [1, 3, 3, 2], k: [1, 1], cout: 3, strides: [2, 2], pad: 'same' },
      { x: [2, 7, 9, 3], k: [2, 3], cout: 2, strides: [2, 2], pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const shapes = shapesOf(c);
      assert.notEqual(inputGradPlan(attrsOf(c), shapes.dy, shapes.filter)?.crop ?? null, null);
      await check(c, 300 + i);
    }
  });

  test('each path leaks no tensors, bytes or backend buffers', async () => {
    await useBackend('wasm');
    // dy, filter and attrs: each path, with and without a crop of dy.
    const calls: Array<[number[], number[], Conv2DBackpropInputAttrs]> = [
      [[2, 4, 5, 4], [3, 3, 3, 4], { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 7, 9, 3] }],
      [[2, 4, 5, 2], [2, 3, 3, 2], { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 7, 9, 3] }],
      [[1, 2, 2, 2], [1, 1, 2, 2], { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 3, 3, 2] }],
      [[2, 4, 4, 2], [3, 3, 3, 2], { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] }],
      [[2, 5, 5, 6], [3, 3, 1, 6], { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 5, 5, 1] }],
      [[3, 1, 1, 6], [5, 5, 4, 6], { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [3, 5, 5, 4] }],
      [[2, 4, 4, 4], [3, 3, 3, 4], { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] }],
    ];
    const paths = calls.map(([dy, filter, attrs]) => {
      const plan = inputGradPlan(attrs, dy, filter);
      return `${plan?.method}${plan?.crop ? ', cropped' : ''}`;
    });
    assert.deepEqual(paths, ['conv', 'conv, cropped', 'col2im, cropped', 'col2im', 'depthwise', 'matmul', 'direct']);
    assertNoLeaks(() =>
      tf.tidy(() => {
        for (const [dy, filter, attrs] of calls) tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.ones(dy), filter: tf.ones(filter) }, attrs as unknown as NamedAttrMap);
      }),
    );
  });

  test('NCHW is delegated to the built-in wasm kernel and still matches', async () => {
    const attrs: Conv2DBackpropInputAttrs = {
      strides: [2, 1],
      pad: 'same',
      dataFormat: 'NCHW',
      inputShape: [2, 3, 7, 6],
    };
    const dy = [2, 4, 4, 6];
    const filter = [3, 3, 3, 4];
    assert.equal(inputGradPlan(attrs, dy, filter), null);
    const rand = seededRandom(9);
    const inputs = {
      dy: { values: randomValues(sizeOf(dy), rand), shape: dy },
      filter: { values: randomValues(sizeOf(filter), rand), shape: filter },
    };
    const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs as unknown as NamedAttrMap);
    const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs as unknown as NamedAttrMap);
    assert.deepEqual(actual.shape, [2, 3, 7, 6]);
    assert.ok(relativeError(actual.values, expected.values) < 1e-5);
  });
});
