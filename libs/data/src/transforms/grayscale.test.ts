import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { grayscale } from './grayscale';

test('grayscale [3,1,2]: 0.299 R + 0.587 G + 0.114 B per pixel, rounded once to float32', () => {
  const out = grayscale.apply({ data: Float32Array.of(1, 0, 0, 0.5, 0.25, 1), count: 1, shape: [3, 1, 2] }, { type: 'grayscale' }, 'test');
  assert.deepEqual(out.shape, [1, 1, 2]);
  assert.deepEqual(Array.from(out.data), [Math.fround(0.299), Math.fround(0.299 * 0.5 + 0.587 * 0.25 + 0.114)]);
});

test('grayscale of white is 1 (the weights sum to 1); two images stay apart', () => {
  const out = grayscale.apply({ data: Float32Array.of(1, 1, 1, 0, 0, 0), count: 2, shape: [3, 1, 1] }, { type: 'grayscale' }, 'test');
  assert.deepEqual(Array.from(out.data), [1, 0]);
});

test('grayscale needs three channels, and is the step {type: grayscale}', () => {
  assert.throws(() => grayscale.outputShape({ type: 'grayscale' }, [1, 28, 28]), { message: 'needs images of 3 channels (got 1)' });
  assert.deepEqual(grayscale.step({ type: 'grayscale' }, [3, 2, 2]), { type: 'grayscale' });
});
