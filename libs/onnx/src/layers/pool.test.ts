import { test } from 'node:test';
import type { PoolLayer } from '../../../graph';
import { assertMatchesTf } from '../testing/ort';

const cases: { name: string; input: [number, number, number]; pool: Omit<PoolLayer, 'type'> }[] = [
  { name: 'x=[3,8,8] k=2 s=2 p=valid', input: [3, 8, 8], pool: {} },
  { name: 'x=[2,7,7] k=2 s=2 p=valid (last row dropped)', input: [2, 7, 7], pool: { size: 2 } },
  { name: 'x=[2,7,7] k=2 s=2 p=same (odd input)', input: [2, 7, 7], pool: { size: 2, padding: 'same' } },
  { name: 'x=[2,9,8] k=3 s=2 p=same', input: [2, 9, 8], pool: { size: 3, stride: 2, padding: 'same' } },
  { name: 'x=[2,7,5] k=3 s=1 p=same', input: [2, 7, 5], pool: { size: 3, stride: 1, padding: 'same' } },
  { name: 'x=[1,9,9] k=[3,2] s=[2,3] p=valid', input: [1, 9, 9], pool: { size: [3, 2], stride: [2, 3] } },
];

for (const type of ['avgpool', 'maxpool'] as const) {
  const op = type === 'avgpool' ? 'tf.avgPool' : 'tf.maxPool';
  for (const c of cases) {
    test(`${type} ${c.name} matches ${op}`, async () => {
      await assertMatchesTf({ input: c.input, layers: [{ type, ...c.pool }, { type: 'flatten' }] });
    });
  }
}

test('avgpool x=[1,5,5] k=2 p=same on positive values: padded cells do not count (count_include_pad=0)', async () => {
  // Sigmoid keeps every value near 0.5, so averaging padded zeros into the edge windows would be far off.
  await assertMatchesTf({
    input: [1, 5, 5],
    layers: [{ type: 'activation', activation: 'sigmoid' }, { type: 'avgpool', size: 2, padding: 'same' }, { type: 'flatten' }],
  });
});
