/** Helpers of the kernels' tests (and of tests elsewhere that run both backends): seeded data, the backends set up, one kernel run on a backend, shared cases. */
import { strict as assert } from 'node:assert';
import seedrandom from 'seedrandom';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradients; @tensorflow/tfjs does this on import.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import { registerWasmKernels, type ImageSize } from './index';
import { simd, type MemoryBackend, type SimdKernels } from './src/simd';

/** Floats in [0, 1) from seedrandom: every run of a test sees the same numbers. */
export const seededRandom = (seed: number): (() => number) => seedrandom(String(seed));

export function randomValues(size: number, rand: () => number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rand() * 2 - 1;
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Max absolute difference relative to the largest magnitude in the reference. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / Math.max(maxRef, 1e-30);
}

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}

export async function setUpBackends(): Promise<void> {
  registerWasmKernels();
  await useBackend('cpu');
  await useBackend('wasm');
}

/** Runs one kernel on the named backend through the engine and returns its values and shape. */
export async function runKernelOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: tf.NamedAttrMap,
): Promise<{ values: Float32Array; shape: number[] }> {
  await useBackend(backend);
  return tf.tidy(() => {
    const tensors: tf.NamedTensorMap = {};
    for (const [name, { values, shape }] of Object.entries(inputs)) tensors[name] = tf.tensor(values, shape);
    const out = tf.engine().runKernel(kernelName, tensors, attrs) as tf.Tensor;
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

/** Runs `run` (which must dispose what it makes) once, then five times more: those leave no tensors, bytes or backend buffers behind. */
export function assertNoLeaks(run: () => void): void {
  const state = () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes, dataIds: tf.backend().numDataIds() });
  run();
  const before = state();
  for (let i = 0; i < 5; i++) run();
  assert.deepEqual(state(), before);
}

/** One convolution of the kernel tests: input NHWC, kernel size, output channels, strides, padding. */
export interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  strides: [number, number];
  pad: Conv2DBackpropFilterAttrs['pad'];
}

/** Small shapes, kernels, strides and paddings in every combination that fits: the cases both conv gradient tests check. */
export function smallConvCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  const xs: Array<[number, number, number, number]> = [
    [1, 7, 9, 1],
    [2, 8, 8, 3],
    [3, 5, 7, 4],
    [1, 11, 6, 2],
    // With the 5x5 filter and 'valid' padding the filter covers the whole input (matmul path).
    [2, 5, 5, 3],
  ];
  const kernels: Array<[number, number]> = [
    [1, 1],
    [3, 3],
    [2, 3],
    [5, 5],
  ];
  const strides: Array<[number, number]> = [
    [1, 1],
    [2, 2],
    [2, 1],
  ];
  const pads: ConvCase['pad'][] = [
    'valid',
    'same',
    1,
    [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  ];
  let i = 0;
  for (const x of xs) {
    for (const k of kernels) {
      for (const s of strides) {
        for (const pad of pads) {
          if (pad === 'valid' && (k[0] > x[1] || k[1] > x[2])) continue;
          cases.push({ x, k, cout: [1, 2, 5][i++ % 3], strides: s, pad });
        }
      }
    }
  }
  return cases;
}

/** One pool of the pool tests: input NHWC, window, strides, padding. */
interface PoolCase {
  x: number[];
  size: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
}

/** The pools both AvgPool tests check, forward and gradient. */
export const poolCases: PoolCase[] = [
  { x: [64, 28, 28, 6], size: [2, 2], strides: [2, 2], pad: 'valid' }, // LeNet-5's S2
  { x: [2, 10, 10, 16], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 28, 28, 6], size: [2, 2], strides: [2, 2], pad: 'valid' }, // a vector and two floats per pixel
  { x: [1, 7, 9, 3], size: [3, 2], strides: [2, 1], pad: 'valid' }, // overlapping windows, odd sizes
  { x: [1, 5, 5, 2], size: [2, 2], strides: [2, 2], pad: 'valid' }, // last row and column unused
  { x: [1, 5, 5, 5], size: [2, 2], strides: [2, 2], pad: 'valid' }, // tiles, a vector and one float per pixel, last row and column unused
  { x: [2, 7, 9, 4], size: [3, 2], strides: [3, 2], pad: 'valid' }, // 3x2 tiles, one vector per pixel, last row and column unused
  { x: [2, 5, 5, 2], size: [3, 3], strides: [2, 2], pad: 'same' }, // delegated to the built-in
];

/** Pixel (y, x, k) of an HWC image that holds 100y + 10x + k: every pixel and channel tells where it came from. */
export function ramp({ height, width, channels }: ImageSize): Float32Array {
  const image = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let k = 0; k < channels; k++) image[(y * width + x) * channels + k] = 100 * y + 10 * x + k;
  return image;
}

/** Channel k of pixel (y, x) of an HWC image. */
export const pixelAt = (image: Float32Array, { width, channels }: ImageSize, y: number, x: number, k = 0): number => image[(y * width + x) * channels + k];

/** v clamped to 0 .. n - 1. */
export const clampIndex = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));

/** Runs `run` on the wasm backend, counting its calls of simd.wat's `kernel`: which path a case takes. */
export async function callsOf(kernel: keyof SimdKernels, run: () => unknown): Promise<number> {
  await useBackend('wasm');
  const kernels = simd(tf.backend() as unknown as MemoryBackend) as unknown as Record<string, (...args: number[]) => unknown>;
  const original = kernels[kernel];
  let calls = 0;
  kernels[kernel] = (...args) => (calls++, original(...args));
  try {
    await run();
  } finally {
    kernels[kernel] = original;
  }
  return calls;
}
