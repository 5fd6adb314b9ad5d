import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { channelsFirst } from './layout';

test('NHWC to NCHW: each channel a plane of its own, image after image; one channel is left as it is', () => {
  // Two images of 1x2 pixels, 3 channels: pixel p of image n holds channel values n*100 + p*10 + ch.
  const nhwc = Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
  assert.deepEqual(Array.from(channelsFirst(nhwc, 2, [3, 1, 2])), [0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112]);
  const gray = Float32Array.from([1, 2, 3, 4]);
  assert.equal(channelsFirst(gray, 2, [1, 1, 2]), gray);
});
