import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { poolCases, randomValues, relativeError, runKernelOn, seededRandom, setUpBackends, sizeOf } from '../testing';

before(setUpBackends);

for (const { x, size, strides, pad } of poolCases) {
  test(`AvgPoolGrad x=[${x}] f=[${size}] s=[${strides}] p=${pad} matches cpu`, async () => {
    const rand = seededRandom(sizeOf(x));
    const info = { outH: pad === 'same' ? Math.ceil(x[1] / strides[0]) : Math.floor((x[1] - size[0]) / strides[0]) + 1, outW: pad === 'same' ? Math.ceil(x[2] / strides[1]) : Math.floor((x[2] - size[1]) / strides[1]) + 1 };
    const dyShape = [x[0], info.outH, info.outW, x[3]];
    const inputs = { dy: { values: randomValues(sizeOf(dyShape), rand), shape: dyShape }, input: { values: randomValues(sizeOf(x), rand), shape: x } };
    const attrs = { filterSize: size, strides, pad };
    const cpu = await runKernelOn('cpu', 'AvgPoolGrad', inputs, attrs);
    const wasm = await runKernelOn('wasm', 'AvgPoolGrad', inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(relativeError(wasm.values, cpu.values) < 1e-5, `relative error ${relativeError(wasm.values, cpu.values)}`);
  });
}
