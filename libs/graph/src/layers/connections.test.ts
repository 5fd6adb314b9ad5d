import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel, GraphError, kernelMask, LECUN_1998_C3, type ConvLayer } from '../../index';

/** Maps first..first+n-1, wrapping around S2's 6 maps, in ascending order as the table lists them. */
const run = (first: number, n: number) => Array.from({ length: n }, (_, k) => (first + k) % 6).sort((a, b) => a - b);

test('lecun1998 is Table I: maps 0-5 read 3 contiguous, 6-11 4 contiguous, 12-14 4 discontinuous, 15 all; 60 links', () => {
  assert.equal(LECUN_1998_C3.length, 16);
  for (let i = 0; i < 6; i++) {
    assert.deepEqual(LECUN_1998_C3[i], run(i, 3), `C3 map ${i}`);
    assert.deepEqual(LECUN_1998_C3[i + 6], run(i, 4), `C3 map ${i + 6}`);
  }
  assert.deepEqual(LECUN_1998_C3.slice(12, 15), [[0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5]]);
  assert.deepEqual(LECUN_1998_C3[15], [0, 1, 2, 3, 4, 5]);
  assert.equal(LECUN_1998_C3.flat().length, 60);
  // Every S2 map feeds 10 of C3's maps.
  for (let m = 0; m < 6; m++) assert.equal(LECUN_1998_C3.filter((maps) => maps.includes(m)).length, 10, `S2 map ${m}`);
});

test('C3 x=[6,14,14] f=5x5x16 connections=lecun1998: 1,516 parameters, mask of 60 x 25 ones in [kh, kw, in, out]', () => {
  const [c3] = describeModel({ input: [6, 14, 14], layers: [{ id: 'C3', type: 'conv', filters: 16, kernel: 5, connections: 'lecun1998' }] }).layers;
  assert.equal(c3.paramCount, 1_516);
  const kernel = c3.params[0];
  const mask = kernelMask(kernel)!;
  assert.equal(mask.length, 5 * 5 * 6 * 16);
  assert.equal(mask.reduce((a, b) => a + b, 0), 1_500);
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++)
      for (let i = 0; i < 6; i++)
        for (let o = 0; o < 16; o++) assert.equal(mask[((y * 5 + x) * 6 + i) * 16 + o], LECUN_1998_C3[o].includes(i) ? 1 : 0);
  // Glorot's fans over connected maps: 3.75 maps per filter, 10 filters per map.
  assert.deepEqual([kernel.fanIn, kernel.fanOut], [25 * 3.75, 25 * 10]);
});

test('connections as a list x=[3,6,6] f=3x3x2 [[0],[1,2]]: 27 weights + 2 biases; no table, no mask', () => {
  const [l] = describeModel({ input: [3, 6, 6], layers: [{ type: 'conv', filters: 2, kernel: 3, connections: [[0], [1, 2]] }] }).layers;
  assert.equal(l.paramCount, 9 * 3 + 2);
  assert.deepEqual(l.params[0].connections, [[0], [1, 2]]);
  const [full] = describeModel({ input: [3, 6, 6], layers: [{ type: 'conv', filters: 2, kernel: 3 }] }).layers;
  assert.equal(kernelMask(full.params[0]), undefined);
  assert.equal(full.paramCount, 9 * 3 * 2 + 2);
});

const refusals: { name: string; conv: Omit<ConvLayer, 'type' | 'id' | 'kernel'>; message: RegExp }[] = [
  { name: 'one entry short', conv: { filters: 3, connections: [[0], [1]] }, message: /connections has 2 entries but the layer has 3 filters/ },
  { name: 'a map out of range', conv: { filters: 2, connections: [[0], [1, 4]] }, message: /connections\[1\] names input map 4, but the input has 4 maps \(0 to 3\)/ },
  { name: 'a map twice', conv: { filters: 2, connections: [[0, 2, 0], [1]] }, message: /connections\[0\] names input map 0 twice/ },
  { name: 'an empty entry', conv: { filters: 2, connections: [[0], []] }, message: /connections\[1\] is empty/ },
  { name: 'lecun1998 on 4 maps', conv: { filters: 16, connections: 'lecun1998' }, message: /lecun1998 is LeNet-5's C3 table, for 6 input maps and 16 filters \(got 4 input maps and 16 filters\)/ },
];
for (const r of refusals) {
  test(`connections refused, naming the layer: ${r.name}`, () => {
    assert.throws(
      () => describeModel({ input: [4, 8, 8], layers: [{ id: 'C3', type: 'conv', kernel: 3, ...r.conv }] }),
      (e: unknown) => e instanceof GraphError && e.message.startsWith('layer C3: ') && r.message.test(e.message),
    );
  });
}
