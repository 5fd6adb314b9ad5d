import {
  getGradient,
  getKernel,
  registerGradient,
  registerKernel,
  type DataId,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

export const WASM = 'wasm';

/** The part of the wasm backend that the composite kernels rely on. */
export interface RefCountedBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
  refCount(dataId: DataId): number;
}

/** What the kernels written in JavaScript need: an output buffer and views of wasm memory. */
export interface HeapBackend extends RefCountedBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  /** A view into wasm memory: take it again after any allocation, which may grow (and move) memory. */
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** Runs another wasm kernel's kernelFunc directly, bypassing the engine (no tensors, no tape). */
export function runWasmKernel(
  kernelName: string,
  backend: RefCountedBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(kernelName, WASM);
  if (config === undefined) {
    throw new Error(`kernel '${kernelName}' is not registered for the wasm backend`);
  }
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new Error(`kernel '${kernelName}' returned ${out.length} outputs, expected one`);
  }
  return out;
}

/**
 * Intermediate results of a composite kernel. Every tracked TensorInfo holds one
 * reference on the backend, released by `disposeAll` (call it in a `finally`).
 */
export class Intermediates {
  private readonly held: TensorInfo[] = [];

  constructor(private readonly backend: RefCountedBackend) {}

  track(info: TensorInfo): TensorInfo {
    this.held.push(info);
    return info;
  }

  disposeAll(): void {
    for (const info of this.held.splice(0)) this.backend.disposeData(info.dataId);
  }
}

/** Same data under another shape; takes a reference like the wasm Reshape kernel does. */
export function reshapeView(backend: RefCountedBackend, x: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * A wasm kernel that returns its input's data under a new tensor when `same` holds, where the built-in copies
 * it: a tensor changes in place only where nothing else holds its data (ownData in in-place.ts), so sharing the
 * data, as Reshape does, is safe. Otherwise the built-in.
 */
export function viewWhen(kernelName: string, same: (x: TensorInfo, attrs: Record<string, unknown>) => boolean) {
  return (builtin: KernelConfig): KernelConfig => {
    const kernelFunc: KernelFunc = (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === 'string' || !same(x, args.attrs as Record<string, unknown>)) return builtin.kernelFunc(args);
      return reshapeView(args.backend as unknown as RefCountedBackend, x, [...x.shape]);
    };
    return { kernelName, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
  };
}

/** True when `perm` only moves size-1 axes, so the data layout does not change. */
function isLayoutPreserving(shape: readonly number[], perm: readonly number[]): boolean {
  let last = -1;
  for (const axis of perm) {
    if (shape[axis] === 1) continue;
    if (axis < last) return false;
    last = axis;
  }
  return true;
}

export function transpose(backend: RefCountedBackend, x: TensorInfo, perm: number[]): TensorInfo {
  if (isLayoutPreserving(x.shape, perm)) {
    return reshapeView(
      backend,
      x,
      perm.map((axis) => x.shape[axis]),
    );
  }
  return runWasmKernel('Transpose', backend, { x }, { perm });
}

export function conv2d(
  backend: RefCountedBackend,
  x: TensorInfo,
  filter: TensorInfo,
  pad: Pad4,
  dilations: [number, number],
): TensorInfo {
  return runWasmKernel(
    'Conv2D',
    backend,
    { x, filter },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: 'floor' },
  );
}

export function padConstant(backend: RefCountedBackend, x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
  return runWasmKernel('PadV2', backend, { x }, { paddings, constantValue: 0 });
}

export function slice(backend: RefCountedBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return runWasmKernel('Slice', backend, { x }, { begin, size });
}

export function depthwiseConv2d(backend: RefCountedBackend, x: TensorInfo, filter: TensorInfo, pad: Pad4): TensorInfo {
  return runWasmKernel(
    'DepthwiseConv2dNative',
    backend,
    { x, filter },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: 'floor' },
  );
}

/** a [batch, m, k] times b [batch, k, n] (either given transposed): one product reads them as they are (batch-mat-mul.ts). */
export function matMul(backend: RefCountedBackend, a: TensorInfo, b: TensorInfo, transposeA = false, transposeB = false): TensorInfo {
  return runWasmKernel('BatchMatMul', backend, { a, b }, { transposeA, transposeB });
}

export function sumLastAxis(backend: RefCountedBackend, x: TensorInfo): TensorInfo {
  return runWasmKernel('Sum', backend, { x }, { axis: [x.shape.length - 1], keepDims: true });
}

/** Registers the kernels (and the gradient) not registered yet: safe to call more than once. */
export function registerOnce(configs: KernelConfig[], gradient?: GradConfig): void {
  for (const config of configs) if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
  if (gradient !== undefined && getGradient(gradient.kernelName) === undefined) registerGradient(gradient);
}

type PadInfo = { top: number; bottom: number; left: number; right: number };

/** True when no side's padding is negative (a crop): the SIMD convolutions then run on x padded with zeros. */
export function padsNoneNegative({ top, bottom, left, right }: PadInfo): boolean {
  return Math.min(top, bottom, left, right) >= 0;
}

/** x [N, H, W, C] with zero rows and columns added as padInfo says: what a padded conv convolves. */
export function padSpatially(backend: RefCountedBackend, x: TensorInfo, { top, bottom, left, right }: PadInfo): TensorInfo {
  return padConstant(backend, x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
}

/** True when a conv or pool pads no side. */
export function isUnpadded({ top, bottom, left, right }: PadInfo): boolean {
  return top === 0 && bottom === 0 && left === 0 && right === 0;
}

/**
 * True when the filter covers the whole (unpadded) input, so the conv is a matrix product:
 * y[n, co] = sum over (p, q, ci) of x[n, p, q, ci] * w[p, q, ci, co].
 */
export function isFullWindow(info: {
  inHeight: number;
  inWidth: number;
  filterHeight: number;
  filterWidth: number;
  padInfo: { top: number; bottom: number; left: number; right: number };
}): boolean {
  return info.inHeight === info.filterHeight && info.inWidth === info.filterWidth && isUnpadded(info.padInfo);
}
