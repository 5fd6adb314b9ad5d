import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  conv2d,
  depthwiseConv2d,
  Intermediates,
  isFullWindow,
  isUnpadded,
  matMul,
  padConstant,
  reshapeView,
  slice,
  sumLastAxis,
  WASM,
  type HeapBackend,
  type Pad4,
  type RefCountedBackend,
} from './wasm-ops';
import { offset, simd, type MemoryBackend } from './simd';

type Shape4 = [number, number, number, number];

interface Args {
  inputs: { dy?: TensorInfo; filter?: TensorInfo };
  backend: RefCountedBackend;
  attrs: Conv2DBackpropInputAttrs;
}

export interface InputGradPlan {
  /**
   * 'direct' at stride 1 without padding, with output channels in fours and at least two input channels
   * (LeNet-5's C3 and C5): one SIMD pass (simd.wat convInputGrad) that gathers each dx pixel's sum from the dy
   * pixels its taps reach, so no work goes to zeros, at about half the time of 'col2im' on C3. Padded convs
   * ('same') take 'conv': there dy's padding is only the forward pad, and the forward SIMD conv, which computes
   * each dx pixel once, ran 1.15-1.5x faster than the direct pass over the padded x on fashion-small-convnet's
   * conv2 and conv3.
   * 'matmul' when the filter covers the whole input (dx = dy times the filter transposed);
   * 'depthwise' for one input channel, where a conv with a single output channel uses the
   * GEMM poorly (depthwise conv per dy channel, then a sum over them); 'col2im' without padding:
   * dy times the filter transposed gives each window's share, which one SIMD pass adds up (the
   * conv below spends half its work on the zeros around dy: about 1.5x faster on LeNet-5's C3);
   * 'conv' otherwise.
   */
  method: 'direct' | 'matmul' | 'depthwise' | 'col2im' | 'conv';
  strides: [number, number];
  /** Conv padding of the stride-dilated dy; negative sides are cropped instead. */
  pad: Pad4;
  /** Rows/columns to drop from the stride-dilated dy where a pad would be negative. */
  crop: { begin: number[]; size: number[] } | null;
}

/** How to compute dx with a forward conv2d, or null when this path does not apply. */
export function inputGradPlan(
  attrs: Conv2DBackpropInputAttrs,
  dyShape: readonly number[],
  filterShape: readonly number[],
): InputGradPlan | null {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') return null;
  if (dyShape.length !== 4 || filterShape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [batch, outHeight, outWidth, outChannels] = dyShape;
  if (outHeight !== info.outHeight || outWidth !== info.outWidth) return null;
  const { inHeight, inWidth, inChannels, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const direct = strideHeight === 1 && strideWidth === 1 && isUnpadded(padInfo) && outChannels % 4 === 0 && inChannels >= 2;
  const method = direct ? 'direct' : isFullWindow(info) ? 'matmul' : inChannels === 1 ? 'depthwise' : isUnpadded(padInfo) ? 'col2im' : 'conv';
  // dx = conv(dy dilated by the stride and zero padded, flipped filter), with padded length
  // H + kh - 1 per axis. The zero insertion leaves stride-1 extra zeros at the end, which
  // count toward the bottom/right pad.
  const dilatedHeight = outHeight * strideHeight;
  const dilatedWidth = outWidth * strideWidth;
  const top = filterHeight - 1 - padInfo.top;
  const left = filterWidth - 1 - padInfo.left;
  const bottom = inHeight + filterHeight - 1 - top - dilatedHeight;
  const right = inWidth + filterWidth - 1 - left - dilatedWidth;
  let crop: InputGradPlan['crop'] = null;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    // Rows outside every window (forward pads wider than the filter, or a stride remainder).
    const begin = [0, Math.max(0, -top), Math.max(0, -left), 0];
    const size = [
      batch,
      dilatedHeight - begin[1] - Math.max(0, -bottom),
      dilatedWidth - begin[2] - Math.max(0, -right),
      outChannels,
    ];
    if (size[1] <= 0 || size[2] <= 0) return null;
    crop = { begin, size };
  }
  return {
    method,
    strides: [strideHeight, strideWidth],
    pad: [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ],
    crop,
  };
}

/**
 * Input gradient of a conv2d as a forward conv2d: dy (zero-inserted when strided, zero padded)
 * convolved with the spatially flipped filter whose in/out channels are swapped. The wasm
 * Conv2D (XNNPACK) does this several times faster than the wasm Conv2DBackpropInput loop.
 * See InputGradPlan.method for the matmul and depthwise variants.
 * Returns null for cases it does not handle (NCHW, no dy row reaching the input).
 */
export function conv2DBackpropInputViaConv(args: Args): TensorInfo | null {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined) throw new Error('Conv2DBackpropInput needs dy and filter');
  const plan = inputGradPlan(attrs, dy.shape, filter.shape);
  if (plan === null) return null;
  const [sh, sw] = plan.strides;
  const [batch, outHeight, outWidth, outChannels] = dy.shape;
  const [filterHeight, filterWidth, inChannels] = filter.shape;

  const tmp = new Intermediates(backend);
  try {
    if (plan.method === 'direct') {
      const b = backend as unknown as MemoryBackend;
      const [, height, width] = attrs.inputShape;
      const dx = b.makeOutput([batch, height, width, inChannels], 'float32');
      simd(b).convInputGrad(offset(b, dy), offset(b, filter), offset(b, dx), batch, height, width, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth);
      return dx;
    }
    if (plan.method === 'matmul') {
      const k = filterHeight * filterWidth * inChannels;
      const w = tmp.track(reshapeView(backend, filter, [1, k, outChannels]));
      const dy2 = tmp.track(reshapeView(backend, dy, [1, batch, outChannels]));
      const dx = tmp.track(matMul(backend, dy2, w, false, true));
      return reshapeView(backend, dx, [batch, filterHeight, filterWidth, inChannels]);
    }
    if (plan.method === 'col2im') {
      const k = filterHeight * filterWidth * inChannels;
      const w = tmp.track(reshapeView(backend, filter, [1, k, outChannels]));
      const rows = batch * outHeight * outWidth;
      const dy2 = tmp.track(reshapeView(backend, dy, [1, rows, outChannels]));
      const cols = tmp.track(matMul(backend, dy2, w, false, true));
      const b = backend as unknown as MemoryBackend;
      const { inputShape } = attrs;
      const dx = b.makeOutput([...inputShape], 'float32');
      b.typedArrayFromHeap(dx).fill(0);
      simd(b).spreadWindows(offset(b, cols), offset(b, dx), batch, outHeight, outWidth, inputShape[1], inputShape[2], inChannels, sh, sw, filterHeight, filterWidth, 1, 4 * inChannels);
      return dx;
    }
    let dyd = dy;
    if (sh > 1 || sw > 1) {
      const split = tmp.track(reshapeView(backend, dy, [batch, outHeight, 1, outWidth, 1, outChannels]));
      const spread = tmp.track(
        padConstant(backend, split, [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ]),
      );
      dyd = tmp.track(reshapeView(backend, spread, [batch, outHeight * sh, outWidth * sw, outChannels]));
    }
    if (plan.crop !== null) dyd = tmp.track(slice(backend, dyd, plan.crop.begin, plan.crop.size));
    const swapped = tmp.track(flipAndSwap(backend as unknown as HeapBackend, filter));
    if (plan.method === 'depthwise') {
      // [kh, kw, Cout, 1] is laid out as a depthwise filter.
      if (outChannels === 1) return depthwiseConv2d(backend, dyd, swapped, plan.pad);
      return sumLastAxis(backend, tmp.track(depthwiseConv2d(backend, dyd, swapped, plan.pad)));
    }
    return conv2d(backend, dyd, swapped, plan.pad, [1, 1]);
  } finally {
    tmp.disposeAll();
  }
}

/**
 * The filter [kh, kw, Cin, Cout] flipped in both spatial axes, with its channels swapped: [kh, kw, Cout, Cin]. One
 * loop where the built-in Reverse and a Transpose took 1.2 ms and 0.05 on fashion-small-convnet's conv3 filter.
 */
function flipAndSwap(backend: HeapBackend, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  // Views taken after the allocation, which may move wasm memory.
  const w = backend.typedArrayFromHeap(filter);
  const y = backend.typedArrayFromHeap(out);
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * cin * cout;
    const to = t * cout * cin;
    for (let ci = 0; ci < cin; ci++) for (let co = 0; co < cout; co++) y[to + co * cin + ci] = w[from + ci * cout + co];
  }
  return out;
}

let builtin: KernelConfig | undefined;

/** The Conv2DBackpropInput that tfjs-backend-wasm registered, kept for the cases conv2DBackpropInputViaConv declines. */
export function builtinConv2DBackpropInput(): KernelConfig | undefined {
  return builtin;
}

export function makeConv2DBackpropInputConfig(original: KernelConfig | undefined): KernelConfig {
  builtin = original;
  const kernelFunc = (args: Args): TensorInfo => {
    const out = conv2DBackpropInputViaConv(args);
    if (out !== null) return out;
    if (original === undefined) {
      throw new Error('Conv2DBackpropInput: unsupported case and no built-in wasm kernel to fall back to');
    }
    return original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return {
    kernelName: Conv2DBackpropInput,
    backendName: WASM,
    kernelFunc: kernelFunc as unknown as KernelFunc,
    // The built-in's setup (binding its wasm function) must still run if the backend initialises later.
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  };
}
