import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { callsOf, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

const cases: Array<{ x: number[]; size: [number, number]; strides: [number, number]; pad: 'valid' | 'same' }> = [
  { x: [2, 28, 28, 16], size: [2, 2], strides: [2, 2], pad: 'valid' }, // fashion-small-convnet's pool1: tiles, each position written once
  { x: [3, 6, 6, 8], size: [3, 2], strides: [3, 2], pad: 'valid' }, // 3x2 tiles
  { x: [2, 7, 7, 64], size: [3, 3], strides: [2, 2], pad: 'valid' }, // its pool3: overlapping windows
  { x: [1, 7, 9, 8], size: [3, 2], strides: [2, 1], pad: 'valid' }, // odd sizes, last row unused
  { x: [1, 6, 6, 3], size: [2, 2], strides: [2, 2], pad: 'valid' }, // channels one at a time
  { x: [2, 5, 7, 6], size: [3, 3], strides: [2, 2], pad: 'same' }, // windows over the padding, a vector and two channels
];

for (const c of cases) {
  for (const values of ['after a ReLU', 'negative'] as const) {
    test(`MaxPoolGrad x=[${c.x}] f=[${c.size}] s=[${c.strides}] ${c.pad}, values ${values}: one SIMD pass, cpu's result`, async () => {
      const rand = seededRandom(sizeOf(c.x));
      // After a ReLU half the inputs are zero, so whole windows tie at 0 (the first position takes dy); all
      // negative, the built-in lost every window's dy.
      const input = randomValues(sizeOf(c.x), rand).map((v) => (values === 'negative' ? v - 2 : Math.max(0, v)));
      const pooled = await runKernelOn('cpu', 'MaxPool', { x: { values: input, shape: c.x } }, { filterSize: c.size, strides: c.strides, pad: c.pad });
      const inputs = {
        dy: { values: randomValues(sizeOf(pooled.shape), rand), shape: pooled.shape },
        input: { values: input, shape: c.x },
        output: pooled,
      };
      const attrs = { filterSize: c.size, strides: c.strides, pad: c.pad };
      const cpu = await runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs);
      const calls = await callsOf('maxPoolGrad', async () => {
        const wasm = await runKernelOn('wasm', 'MaxPoolGrad', inputs, attrs);
        assert.deepEqual(wasm.shape, cpu.shape);
        // cpu sums overlapping windows' shares in doubles; a share sent to another position would be far off.
        assert.ok(relativeError(wasm.values, cpu.values) < 1e-6, `relative error ${relativeError(wasm.values, cpu.values)}`);
      });
      assert.equal(calls, 1);
    });
  }
}
