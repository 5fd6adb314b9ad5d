import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { poolCases, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

for (const { x, size, strides, pad } of poolCases) {
  test(`AvgPool x=[${x}] f=[${size}] s=[${strides}] p=${pad} matches cpu`, async () => {
    const inputs = { x: { values: randomValues(sizeOf(x), seededRandom(sizeOf(x) + 7)), shape: x } };
    const attrs = { filterSize: size, strides, pad };
    const cpu = await runKernelOn('cpu', 'AvgPool', inputs, attrs);
    const wasm = await runKernelOn('wasm', 'AvgPool', inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-6, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });
}
