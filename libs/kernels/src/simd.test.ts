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

/** simd.wat's module (as simd-binary.ts holds it) on `memory`. */
function instantiate(base64: string, memory: { buffer: ArrayBuffer }): SimdKernels {
  return new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as SimdKernels;
}

// The kernel tests run the module this machine takes (fused here); this one runs both on the same input.
test('simd.wat with and without fused multiply-adds: the same exports, and conv agrees with a plain loop in each', () => {
  assert.equal(fusedMultiplyAdd(), true, 'Node 20 or later takes relaxed SIMD (behind a flag on 20)');
  const memory = new WebAssembly.Memory({ initial: 4 });
  const load = (base64: string) => instantiate(base64, memory);
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

test("sumWithProductsPattern: the same bits as sumPattern and sumProductsPattern about 0, in each module", () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const load = (base64: string) => instantiate(base64, memory);
  const f32 = new Float32Array(memory.buffer);
  // Three channels (a pattern of 12 floats) and a remainder after the four-lane loop; -0 and wide magnitudes in u.
  const [p, n] = [12, 12 * 41 + 7];
  const u = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? -0 : Math.sin(i * 0.37) * 10 ** ((i % 5) - 2)));
  const v = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11) * 3 + (i % 3));
  const mean = Float32Array.from({ length: p }, (_, k) => [0.5, 1.5, 2.5][k % 3]);
  const [uAt, vAt, meanAt, zeroAt, accAt, accpAt, sepAt, sepProductsAt] = [0, 4096, 8192, 8448, 8704, 8960, 9216, 9472];
  for (const [name, base64] of [['plain', SIMD_WASM], ['fused', SIMD_WASM_FUSED]] as const) {
    const kernels = load(base64);
    f32.set(u, uAt / 4);
    f32.set(v, vAt / 4);
    f32.set(mean, meanAt / 4);
    f32.fill(0, zeroAt / 4, zeroAt / 4 + p);
    // Leftovers in the accumulators: each pass must start from zero.
    f32.fill(7, accAt / 4, sepProductsAt / 4 + p);
    kernels.sumPattern(uAt, n, sepAt, p);
    kernels.sumProductsPattern(uAt, zeroAt, vAt, meanAt, n, sepProductsAt, p);
    kernels.sumWithProductsPattern(uAt, vAt, meanAt, n, accAt, accpAt, p);
    const bits = (at: number) => Array.from(new Uint32Array(memory.buffer, at, p));
    assert.deepEqual(bits(accAt), bits(sepAt), `${name}: sums`);
    assert.deepEqual(bits(accpAt), bits(sepProductsAt), `${name}: sums of products`);
  }
});
