import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SIMD_WASM, SIMD_WASM_FUSED } from './simd-binary';
import { fusedMultiplyAdd, type SimdKernels } from './simd';

// @types/node declares no WebAssembly (it is in TypeScript's DOM library): the part used here.
declare const WebAssembly: {
  Memory: new (size: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

// The kernel tests run the module this machine takes (fused here); this one runs both on the same input.
test('simd.wat with and without fused multiply-adds: the same exports, and conv agrees with a plain loop in each', () => {
  assert.equal(fusedMultiplyAdd(), true, 'Node 20 or later takes relaxed SIMD (behind a flag on 20)');
  const memory = new WebAssembly.Memory({ initial: 4 });
  const load = (base64: string) =>
    new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as SimdKernels;
  const [plain, fused] = [load(SIMD_WASM), load(SIMD_WASM_FUSED)];
  assert.deepEqual(Object.keys(plain).sort(), Object.keys(fused).sort());

  const [n, h, w, cout, k] = [2, 9, 11, 6, 3];
  const [ho, wo] = [h - k + 1, w - k + 1];
  const f32 = new Float32Array(memory.buffer);
  const x = Float32Array.from({ length: n * h * w }, (_, i) => Math.sin(i * 0.7));
  const filter = Float32Array.from({ length: k * k * cout }, (_, i) => Math.cos(i * 1.3));
  const [xAt, wAt, yAt] = [0, 4096, 8192]; // byte offsets
  f32.set(x, xAt / 4);
  f32.set(filter, wAt / 4);
  const expected = new Float32Array(n * ho * wo * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let c = 0; c < cout; c++) {
          let sum = 0;
          for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) sum += x[(b * h + i + p) * w + j + q] * filter[(p * k + q) * cout + c];
          expected[((b * ho + i) * wo + j) * cout + c] = sum;
        }
  const panelsAt = 12288;
  for (const [name, kernels] of [['plain', plain], ['fused', fused]] as const) {
    f32.fill(0, yAt / 4, yAt / 4 + expected.length);
    kernels.packPanels(wAt, panelsAt, k * k, cout, 0, 8);
    kernels.conv(xAt, panelsAt, yAt, n, h, w, 1, ho, wo, cout, k, k);
    const y = f32.subarray(yAt / 4, yAt / 4 + expected.length);
    const worst = Math.max(...expected.map((e, i) => Math.abs(e - y[i])));
    assert.ok(worst < 1e-5, `${name}: worst difference ${worst}`);
  }
});
