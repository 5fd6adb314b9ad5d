import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LECUN_1998_C3, type ConvLayer, type ModelSpec } from '../../../graph';
import { exportOnnx } from '../export';
import { decode, floatsOf } from '../testing/decode';
import { assertMatchesTf } from '../testing/ort';
import { randomWeights } from '../testing/seeded';
import { hwioToOihw } from './conv';

/** A conv layer followed by flatten, so the output is a vector whatever the conv's shape. */
function convModel(input: [number, number, number], conv: Omit<ConvLayer, 'type'>): ModelSpec {
  return { input, layers: [{ type: 'conv', ...conv }, { type: 'flatten' }] };
}

const cases: { name: string; input: [number, number, number]; conv: Omit<ConvLayer, 'type'> }[] = [
  { name: 'x=[1,8,8] f=3x3x4 s=1 p=valid', input: [1, 8, 8], conv: { filters: 4, kernel: 3 } },
  { name: 'x=[3,9,9] f=3x3x5 s=1 p=same', input: [3, 9, 9], conv: { filters: 5, kernel: 3, padding: 'same' } },
  { name: 'x=[2,8,8] f=3x3x4 s=2 p=same (odd pixel after)', input: [2, 8, 8], conv: { filters: 4, kernel: 3, stride: 2, padding: 'same' } },
  { name: 'x=[2,7,7] f=4x4x3 s=2 p=same', input: [2, 7, 7], conv: { filters: 3, kernel: 4, stride: 2, padding: 'same' } },
  { name: 'x=[2,9,7] f=2x3x3 s=[2,1] p=same', input: [2, 9, 7], conv: { filters: 3, kernel: [2, 3], stride: [2, 1], padding: 'same' } },
  { name: 'x=[3,9,9] f=3x3x4 s=2 p=valid', input: [3, 9, 9], conv: { filters: 4, kernel: 3, stride: 2 } },
  { name: 'x=[2,6,5] f=3x2x4 s=1 p=valid bias=false', input: [2, 6, 5], conv: { filters: 4, kernel: [3, 2], bias: false } },
  { name: 'x=[2,5,5] f=2x2x3 s=1 p=same bias=false relu', input: [2, 5, 5], conv: { filters: 3, kernel: 2, padding: 'same', bias: false, activation: 'relu' } },
  { name: 'x=[1,6,6] f=5x5x2 s=1 p=valid tanh', input: [1, 6, 6], conv: { filters: 2, kernel: 5, activation: 'tanh' } },
  { name: 'x=[1,6,6] f=3x3x2 s=1 p=valid scaled-tanh', input: [1, 6, 6], conv: { filters: 2, kernel: 3, activation: 'scaled-tanh' } },
  // Partial connection tables: the random weights at absent connections must not reach either side.
  { name: 'x=[6,14,14] f=5x5x16 connections=lecun1998 scaled-tanh (C3)', input: [6, 14, 14], conv: { filters: 16, kernel: 5, connections: 'lecun1998', activation: 'scaled-tanh' } },
  { name: 'x=[3,7,7] f=3x3x2 s=2 p=same connections=[[0],[1,2]]', input: [3, 7, 7], conv: { filters: 2, kernel: 3, stride: 2, padding: 'same', connections: [[0], [1, 2]] } },
  { name: 'x=[4,5,5] f=2x3x3 connections=[[3],[0,1,2,3],[2,0]] bias=false', input: [4, 5, 5], conv: { filters: 3, kernel: [2, 3], bias: false, connections: [[3], [0, 1, 2, 3], [2, 0]] } },
];

for (const c of cases) {
  test(`conv ${c.name} matches tf.conv2d`, async () => {
    await assertMatchesTf(convModel(c.input, c.conv));
  });
}

test('hwioToOihw moves each kernel value to [out, in, kh, kw]', () => {
  const [kh, kw, cin, cout] = [2, 3, 4, 5];
  const hwio = Float32Array.from({ length: kh * kw * cin * cout }, (_, i) => i);
  const oihw = hwioToOihw(hwio, [kh, kw, cin, cout]);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) assert.equal(oihw[((o * cin + i) * kh + y) * kw + x], hwio[((y * kw + x) * cin + i) * cout + o]);
});

test('C3 connections=lecun1998: the OIHW initializer is exactly +0 at the 36 absent (filter, map) pairs, the trained weight elsewhere', () => {
  const model = convModel([6, 14, 14], { id: 'C3', filters: 16, kernel: 5, connections: 'lecun1998' });
  const weights = randomWeights(model, 4);
  const trained = weights['C3/kernel'].data; // [5, 5, 6, 16], random at absent connections too
  const { initializers } = decode(exportOnnx({ model, weights, opset: 13, graphName: 'g', metadata: {} }));
  const kernel = initializers.find((t) => t.name === 'C3/kernel')!;
  assert.deepEqual(kernel.dims.map(Number), [16, 6, 5, 5]);
  assert.match(kernel.docString, /zeros where the connection table leaves an input map out/);
  const oihw = floatsOf(kernel);
  let zeros = 0;
  for (let o = 0; o < 16; o++)
    for (let i = 0; i < 6; i++)
      for (let k = 0; k < 25; k++) {
        const value = oihw[(o * 6 + i) * 25 + k];
        if (LECUN_1998_C3[o].includes(i)) assert.equal(value, trained[(k * 6 + i) * 16 + o]);
        else {
          assert.ok(Object.is(value, 0), `C3/kernel[${o}, ${i}, ${k}] = ${value}`);
          zeros++;
        }
      }
  assert.equal(zeros, (96 - 60) * 25);
});
