import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { centerCrop } from './center-crop';

const values = Array.from({ length: 20 }, (_, i) => i); // 4 rows of 5

test('center-crop [1,4,5] to 2: rows from floor(2/2) = 1, columns from floor(3/2) = 1', () => {
  const out = centerCrop.apply({ data: Float32Array.from(values), count: 1, shape: [1, 4, 5] }, { type: 'center-crop', to: 2 }, 'train');
  assert.deepEqual(out.shape, [1, 2, 2]);
  assert.deepEqual(Array.from(out.data), [6, 7, 11, 12]);
});

test('center-crop to [3, 5] keeps whole rows from row 0; two images of two channels stay apart', () => {
  assert.deepEqual(Array.from(centerCrop.apply({ data: Float32Array.from(values), count: 1, shape: [1, 4, 5] }, { type: 'center-crop', to: [3, 5] }, 'train').data), values.slice(0, 15));
  const two = centerCrop.apply({ data: Float32Array.from({ length: 16 }, (_, i) => i), count: 2, shape: [2, 2, 2] }, { type: 'center-crop', to: 1 }, 'train');
  assert.deepEqual(Array.from(two.data), [0, 1, 8, 9]);
});

test('center-crop larger than the image is refused; its step holds height and width', () => {
  assert.throws(() => centerCrop.outputShape({ type: 'center-crop', to: 6 }, [1, 4, 5]), { message: 'to=6 is larger than the 4x5 image' });
  assert.deepEqual(centerCrop.step({ type: 'center-crop', to: [24, 20] }, [3, 28, 28]), { type: 'center-crop', height: 24, width: 20 });
});
