import type { TensorInfo } from '@tensorflow/tfjs-core';
import { setFlagsFromString } from 'node:v8';
import { SIMD_WASM, SIMD_WASM_FUSED } from './simd-binary';
import type { HeapBackend, Intermediates } from './wasm-ops';

// @types/node declares no WebAssembly (it is in TypeScript's DOM library): the part used here.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (size: { initial: number }) => WasmMemory;
};

/** A WebAssembly.Memory: its buffer is replaced (the old one detached) when it grows. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The functions of simd.wat; pointers are byte offsets into the backend's memory, counts are floats. */
export interface SimdKernels {
  scaledTanh(x: number, y: number, n: number, s: number, a: number, pattern: number, patternBytes: number): void;
  scaledTanhGrad(y: number, dy: number, dx: number, n: number, s: number, a: number): void;
  reluGrad(x: number, dy: number, dx: number, n: number): void;
  addPattern(x: number, pattern: number, p: number, y: number, n: number): void;
  sumPattern(x: number, n: number, acc: number, p: number): void;
  spreadWindows(src: number, dx: number, batch: number, outH: number, outW: number, inH: number, inW: number, c: number, sh: number, sw: number, fh: number, fw: number, scale: number, tap: number): void;
  convFilterGradGray(x: number, dy: number, dw: number, batch: number, h: number, w: number, cout: number, ho: number, wo: number, kh: number, kw: number, imagesPerBlock: number, sums: number): void;
  packPanels(b: number, pb: number, k: number, n: number, tb: number, width: number): void;
  matmul(a: number, pb: number, y: number, m: number, k: number, n: number, ta: number): void;
  conv(x: number, w: number, y: number, batch: number, h: number, wd: number, cin: number, ho: number, wo: number, cout: number, kh: number, kw: number): void;
  avgPool(x: number, y: number, batch: number, outH: number, outW: number, inH: number, inW: number, c: number, sh: number, sw: number, fh: number, fw: number, scale: number): void;
  avgPoolGradTiles(dy: number, dx: number, batch: number, outH: number, outW: number, inH: number, inW: number, c: number, fh: number, fw: number, scale: number): void;
  convInputGrad(dy: number, w: number, dx: number, batch: number, h: number, wd: number, cin: number, ho: number, wo: number, cout: number, kh: number, kw: number): void;
  maxPoolGrad(x: number, y: number, dy: number, dx: number, batch: number, outH: number, outW: number, inH: number, inW: number, c: number, sh: number, sw: number, fh: number, fw: number, padTop: number, padLeft: number, tiles: number): void;
  sumProductsPattern(u: number, mu: number, v: number, mv: number, n: number, acc: number, p: number): void;
  sumWithProductsPattern(u: number, v: number, mv: number, n: number, acc: number, accp: number, p: number): void;
  affinePattern(a: number, pa: number, b: number, pb: number, pc: number, y: number, n: number, p: number): void;
  convFilterGradNhwc(x: number, dy: number, dw: number, batch: number, h: number, w: number, cin: number, ho: number, wo: number, cout: number, kh: number, kw: number, imagesPerBlock: number): void;
  transpose2d(x: number, y: number, batch: number, rows: number, cols: number): void;
  padImages(x: number, y: number, batch: number, h: number, w: number, c: number, top: number, bottom: number, left: number, right: number): void;
  addNormalImages(values: number, count: number, n: number, std: number, states: number, k: number): void;
  resample(src: number, dst: number, height: number, width: number, channels: number, tables: number, nms: number, cos: number, dy: number): void;
  adam(w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, n: number, l2: number, keep: number, b1: number, ob1: number, b2: number, ob2: number, d1: number, d2: number, eps: number, lr: number): void;
}

/** What the SIMD kernels need of the wasm backend beyond HeapBackend: its memory and where a tensor lives in it. */
export interface MemoryBackend extends HeapBackend {
  wasm: { asm: { memory: object } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

const instances = new WeakMap<object, SimdKernels>();
let compiled: object | undefined;
let fused = false;

/**
 * simd.wat's module with fused multiply-adds where the engine takes relaxed SIMD (Node 22 and later; Node 20's
 * V8 behind a flag, set here before compiling, for this process and its worker threads), else the one without.
 * A fused multiply-add rounds once, so results differ in the last bits between the two: the same machine and
 * Node always take the same one.
 */
function compile(): object {
  if (compiled === undefined) {
    const withFma = Buffer.from(SIMD_WASM_FUSED, 'base64');
    if (!WebAssembly.validate(withFma)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    fused = WebAssembly.validate(withFma);
    compiled = new WebAssembly.Module(fused ? withFma : Buffer.from(SIMD_WASM, 'base64'));
  }
  return compiled;
}

/** Whether the kernels run with fused multiply-adds (relaxed SIMD) here: for the bench's header. */
export function fusedMultiplyAdd(): boolean {
  compile();
  return fused;
}

/** simd.wat instantiated on the backend's own memory (once per backend), so it reads and writes tensors in place. */
export function simd(backend: MemoryBackend): SimdKernels {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend.wasm.asm.memory);
    instances.set(backend, kernels);
  }
  return kernels;
}

/** simd.wat instantiated on `memory`. */
export function instantiate(memory: object): SimdKernels {
  // A plain copy of the (frozen) exports, so that a test can watch which kernel runs.
  return { ...new WebAssembly.Instance(compile(), { env: { memory, exp: Math.exp, log: Math.log } }).exports } as unknown as SimdKernels;
}

/** A fresh memory of `pages` pages of 64 KiB. */
export function newMemory(pages: number): WasmMemory {
  return new WebAssembly.Memory({ initial: pages });
}

/** The byte offset of a tensor's data in wasm memory. */
export function offset(backend: MemoryBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('tensor not found on the wasm backend');
  return data.memoryOffset;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A channel vector repeated to lcm(C, 4) floats (whole SIMD vectors), in a temporary tensor on the heap: the
 * pattern addPattern adds and sumPattern sums into. Filled with `fill` (C floats) when given.
 */
export function channelPattern(b: MemoryBackend, held: Intermediates, channels: number, fill?: Float32Array): { info: TensorInfo; floats: number } {
  const floats = (channels * 4) / gcd(channels, 4);
  const info = held.track(b.makeOutput([floats], 'float32'));
  if (fill) {
    const view = b.typedArrayFromHeap(info);
    for (let at = 0; at < floats; at += channels) view.set(fill, at);
  }
  return { info, floats };
}

/** A per-channel bias tensor (C floats) as channelPattern lays it out: copied out first, as the pattern's allocation may move the heap. */
export function biasPattern(b: MemoryBackend, held: Intermediates, bias: TensorInfo): { info: TensorInfo; floats: number } {
  return channelPattern(b, held, bias.shape.at(-1)!, b.typedArrayFromHeap(bias).slice());
}
