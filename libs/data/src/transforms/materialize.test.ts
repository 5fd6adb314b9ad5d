import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import seedrandom from 'seedrandom';
import type { Transform } from '../../../pipeline-schema';
import type { ResolvedTransform } from '../config';
import { defaultedTransforms } from '../fixture';
import { applyTransforms } from './apply';
import { materialize } from './materialize';
import type { ImageShape, SplitName } from './types';

/** The plain way: gather bytes / 255, then each transform in turn. */
function reference(bytes: Uint8Array, indices: number[], shape: ImageShape, transforms: ResolvedTransform[], split: SplitName): Float32Array {
  const pixels = shape[0] * shape[1] * shape[2];
  const data = new Float32Array(indices.length * pixels);
  indices.forEach((index, k) => {
    for (let p = 0; p < pixels; p++) data[k * pixels + p] = bytes[index * pixels + p] / 255;
  });
  return applyTransforms({ data, count: indices.length, shape }, transforms, split).data;
}

function bits(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

const cases: [string, Transform[]][] = [
  ['none', []],
  ['pad 9', [{ type: 'pad', to: 9 }]],
  ['pad 8 value=0.25 (odd margin)', [{ type: 'pad', to: 8, value: 0.25 }]],
  ['pad 9 + normalize (LeNet)', [{ type: 'pad', to: 9 }, { type: 'normalize', mean: 0.1307, std: 0.3081 }]],
  ['normalize + pad 9 value=1', [{ type: 'normalize', mean: 0.2, std: 0.7 }, { type: 'pad', to: 9, value: 1 }]],
  ['pad 7 + pad 10 value=1 + normalize', [{ type: 'pad', to: 7 }, { type: 'pad', to: 10, value: 1 }, { type: 'normalize', mean: 0.5, std: 0.2 }]],
  ['pad + normalize whose fill underflows to -0', [{ type: 'pad', to: 9 }, { type: 'normalize', mean: 1e-30, std: 1e30 }]],
  ['pad + noise + normalize', [{ type: 'pad', to: 9 }, { type: 'noise', std: 0.3, seed: 4 }, { type: 'normalize', mean: 0.1, std: 0.3 }]],
  ['noise on test only + pad + normalize', [{ type: 'noise', std: 0.3, splits: ['test'] }, { type: 'pad', to: 9 }, { type: 'normalize', mean: 0.1, std: 0.3 }]],
];

for (const shape of [[1, 5, 5], [3, 5, 4]] as ImageShape[]) {
  const rng = seedrandom('materialize');
  const pixels = shape[0] * shape[1] * shape[2];
  const bytes = Uint8Array.from({ length: 20 * pixels }, () => Math.floor(rng() * 256));
  const indices = [17, 3, 3, 0, 19, 8];
  for (const [name, declared] of cases) {
    const transforms = defaultedTransforms(declared);
    for (const split of ['train', 'test'] as SplitName[]) {
      test(`first pass equals transform by transform, bit for bit: shape=${shape.join('x')} ${name} split=${split}`, () => {
        const fused = materialize(bytes, indices, shape, transforms, split);
        const plain = reference(bytes, indices, shape, transforms, split);
        assert.equal(fused.data.length, plain.length);
        assert.ok(bits(fused.data).equals(bits(plain)), 'the two ways differ');
        assert.equal(fused.count, indices.length);
      });
    }
  }
}

test('materialize picks the samples at the given indices: [2,1,1] images 0 and 1 read back swapped', () => {
  const out = materialize(Uint8Array.of(0, 255, 51, 102), [1, 0], [2, 1, 1], [], 'train');
  assert.deepEqual(Array.from(out.data), [0.2, 0.4, 0, 1].map(Math.fround));
  assert.deepEqual(out.shape, [2, 1, 1]);
});
