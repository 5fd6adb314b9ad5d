import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PadTransform } from '../../../pipeline-schema';
import { DataError } from '../errors';
import { defaultedTransforms } from '../fixture';
import { pad } from './pad';
import type { ImageBatch, ImageShape } from './types';

function batch(values: number[], count: number, shape: ImageShape): ImageBatch {
  return { data: Float32Array.from(values), count, shape };
}

/** As a loaded pipeline holds it: the schema's defaults filled in. */
function defaulted(t: PadTransform): Required<PadTransform> {
  return defaultedTransforms([t])[0] as Required<PadTransform>;
}

test('pad [1,2,2] to=4: centred with one pixel on each side', () => {
  const out = pad.apply(batch([1, 2, 3, 4], 1, [1, 2, 2]), defaulted({ type: 'pad', to: 4 }), 'train');
  assert.deepEqual(out.shape, [1, 4, 4]);
  assert.deepEqual(Array.from(out.data), [
    0, 0, 0, 0,
    0, 1, 2, 0,
    0, 3, 4, 0,
    0, 0, 0, 0,
  ]);
});

test('pad [1,2,2] to=5 value=0.5: the odd extra pixel goes bottom and right', () => {
  const out = pad.apply(batch([1, 2, 3, 4], 1, [1, 2, 2]), defaulted({ type: 'pad', to: 5, value: 0.5 }), 'train');
  const o = 0.5;
  assert.deepEqual(Array.from(out.data), [
    o, o, o, o, o,
    o, 1, 2, o, o,
    o, 3, 4, o, o,
    o, o, o, o, o,
    o, o, o, o, o,
  ]);
});

test('pad 28x28 to=32 adds 2 on each side', () => {
  const out = pad.apply(batch(new Array(28 * 28).fill(1), 1, [1, 28, 28]), defaulted({ type: 'pad', to: 32 }), 'train');
  const row = (y: number) => Array.from(out.data.subarray(y * 32, y * 32 + 32));
  assert.deepEqual(row(1), new Array(32).fill(0));
  assert.deepEqual(row(2), [0, 0, ...new Array(28).fill(1), 0, 0]);
  assert.deepEqual(row(29), [0, 0, ...new Array(28).fill(1), 0, 0]);
  assert.deepEqual(row(30), new Array(32).fill(0));
});

test('pad [C=2,1,1] x2 images to=3: channels stay interleaved (NHWC), images stay apart', () => {
  const out = pad.apply(batch([1, 2, 3, 4], 2, [2, 1, 1]), defaulted({ type: 'pad', to: 3 }), 'train');
  assert.deepEqual(out.shape, [2, 3, 3]);
  const image = (a: number, b: number) => [0, 0, 0, 0, 0, 0, 0, 0, a, b, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(Array.from(out.data), [...image(1, 2), ...image(3, 4)]);
});

test('pad to the same size is the identity; to smaller than the image is refused', () => {
  const same = batch([1, 2, 3, 4], 1, [1, 2, 2]);
  assert.equal(pad.apply(same, defaulted({ type: 'pad', to: 2 }), 'train'), same);
  assert.throws(() => pad.apply(batch(new Array(9).fill(0), 1, [1, 3, 3]), defaulted({ type: 'pad', to: 2 }), 'train'), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message, 'to=2 is smaller than the 3x3 image');
    return true;
  });
});

test("pad's step gives each margin for the size it sees (an odd margin's extra pixel bottom/right) and fills value=0 by default", () => {
  assert.deepEqual(pad.step(defaulted({ type: 'pad', to: 32 }), [1, 28, 28]), { type: 'pad', top: 2, bottom: 2, left: 2, right: 2, value: 0 });
  assert.deepEqual(pad.step(defaulted({ type: 'pad', to: 6, value: -1 }), [1, 3, 5]), { type: 'pad', top: 1, bottom: 2, left: 0, right: 1, value: -1 });
});

test('pad [1,1,2] to=[3,4]: a height and a width, each centred', () => {
  const out = pad.apply(batch([1, 2], 1, [1, 1, 2]), defaulted({ type: 'pad', to: [3, 4] }), 'train');
  assert.deepEqual(out.shape, [1, 3, 4]);
  assert.deepEqual(Array.from(out.data), [0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]);
  assert.deepEqual(pad.step(defaulted({ type: 'pad', to: [3, 4] }), [1, 1, 2]), { type: 'pad', top: 1, bottom: 1, left: 1, right: 1, value: 0 });
});
