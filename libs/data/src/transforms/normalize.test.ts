import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalize } from './normalize';

test('normalize mean=0.5 std=0.25: [0, 0.5, 1] -> [-2, 0, 2], in place', () => {
  const data = Float32Array.of(0, 0.5, 1);
  const out = normalize.apply({ data, count: 1, shape: [1, 1, 3] }, { type: 'normalize', mean: 0.5, std: 0.25 }, 'test');
  assert.equal(out.data, data);
  assert.deepEqual(Array.from(out.data), [-2, 0, 2]);
});

test('normalize mean=0.1307 std=0.3081 gives the float32 of (x - mean) / std', () => {
  const data = Float32Array.of(0, 1);
  normalize.apply({ data, count: 1, shape: [1, 1, 2] }, { type: 'normalize', mean: 0.1307, std: 0.3081 }, 'train');
  assert.deepEqual(Array.from(data), [Math.fround(-0.1307 / 0.3081), Math.fround(0.8693 / 0.3081)]);
  assert.deepEqual(Array.from(data), [-0.4242129325866699, 2.821486473083496]);
});

test('normalize refuses std <= 0 and describes itself as the formula', () => {
  assert.throws(() => normalize.apply({ data: new Float32Array(1), count: 1, shape: [1, 1, 1] }, { type: 'normalize', mean: 0, std: 0 }, 'train'), {
    name: 'DataError',
    message: 'std must be a number > 0 (got 0)',
  });
  assert.deepEqual(normalize.step({ type: 'normalize', mean: 0.1307, std: 0.3081 }, [1, 28, 28]), { type: 'normalize', mean: 0.1307, std: 0.3081 });
});
