import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Transform } from '../../../pipeline-schema';
import type { ResolvedTransform } from '../config';
import { defaultedTransforms } from '../fixture';
import { applyTransforms, describePreprocessing, transformedShape } from './apply';

const lenet = defaultedTransforms([
  { type: 'pad', to: 32 },
  { type: 'noise', std: 0.1 },
  { type: 'normalize', mean: 0.1307, std: 0.3081 },
]);

test('preprocessing line: pixel / 255, then every transform but noise, in order', () => {
  assert.equal(describePreprocessing([1, 28, 28], lenet), 'x = pixel / 255; pad 28x28 to 32x32 with 0; x = (x - 0.1307) / 0.3081');
  assert.equal(describePreprocessing([1, 28, 28], []), 'x = pixel / 255');
  assert.equal(
    describePreprocessing([1, 28, 28], defaultedTransforms([{ type: 'normalize', mean: 0.5, std: 0.5 }, { type: 'pad', to: 29, value: -1 }, { type: 'pad', to: 33 }])),
    'x = pixel / 255; x = (x - 0.5) / 0.5; pad 28x28 to 29x29 with -1; pad 29x29 to 33x33 with 0',
  );
});

test('transformedShape follows the pads and names the transform that does not fit', () => {
  assert.deepEqual(transformedShape([1, 28, 28], lenet), [1, 32, 32]);
  assert.throws(() => transformedShape([1, 28, 28], defaultedTransforms([{ type: 'normalize', mean: 0, std: 1 }, { type: 'pad', to: 24 }])), {
    name: 'DataError',
    message: 'dataset.transforms[1] (pad): to=24 is smaller than the 28x28 image',
  });
});

test('an unknown transform type is refused with the known ones', () => {
  const bogus = [{ type: 'blur', radius: 2 }] as unknown as ResolvedTransform[];
  assert.throws(() => transformedShape([1, 2, 2], bogus), { message: "dataset.transforms[0]: unknown type 'blur'; expected pad, normalize, noise, resize, grayscale, center-crop" });
});

test('applyTransforms runs them in order: normalize then pad differs from pad then normalize', () => {
  const run = (ts: Transform[]) => Array.from(applyTransforms({ data: Float32Array.of(1), count: 1, shape: [1, 1, 1] }, defaultedTransforms(ts), 'test').data);
  const norm: Transform = { type: 'normalize', mean: 0.5, std: 0.5 };
  const pad3: Transform = { type: 'pad', to: 3 };
  assert.deepEqual(run([norm, pad3]), [0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(run([pad3, norm]), [-1, -1, -1, -1, 1, -1, -1, -1, -1]);
});
