import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import {
  conv2d,
  Intermediates,
  isFullWindow,
  isUnpadded,
  matMul,
  padSpatially,
  padsNoneNegative,
  reshapeView,
  slice,
  transpose,
  WASM,
  type RefCountedBackend,
} from './wasm-ops';
import { offset, simd, type MemoryBackend } from './simd';

type Shape4 = [number, number, number, number];

/**
 * dW[p, q, ci, co] = sum over n, i, j of xPadded[n, i*sh + p, j*sw + q, ci] * dy[n, i, j, co].
 * That is a stride-1 convolution of x seen as [Cin, H, W, N] (Cin images with N channels)
 * with dy seen as an [Ho, Wo, N, Cout] filter dilated by the forward stride; its
 * [Cin, kh, kw, Cout] output transposed is the filter gradient. When the filter covers the
 * whole input (a dense layer written as a conv, like LeNet-5's C5) it is x^T times dy instead.
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: { x?: TensorInfo; dy?: TensorInfo };
  backend: RefCountedBackend;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter needs x and dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  const [, outHeight, outWidth] = dy.shape;
  if (
    dy.shape.length !== 4 ||
    dy.shape[0] !== batchSize ||
    outHeight !== info.outHeight ||
    outWidth !== info.outWidth ||
    dy.shape[3] !== outChannels
  ) {
    throw new Error(`Conv2DBackpropFilter: dy shape [${dy.shape}] does not match [${info.outShape}]`);
  }

  // The dilated dy spans (Ho-1)*stride+1 rows; pad x at the end only as far as needed for
  // kh output rows. Rows past that (a 'valid' remainder) give extra output rows, sliced off.
  const spanH = (outHeight - 1) * strideHeight + 1;
  const spanW = (outWidth - 1) * strideWidth + 1;
  const bottom = Math.max(0, filterHeight + spanH - 1 - inHeight - padInfo.top);
  const right = Math.max(0, filterWidth + spanW - 1 - inWidth - padInfo.left);
  const convHeight = inHeight + padInfo.top + bottom - spanH + 1;
  const convWidth = inWidth + padInfo.left + right - spanW + 1;

  const tmp = new Intermediates(backend);
  try {
    // Stride 1: the SIMD passes below, on a copy of x with its padding where it has some.
    const direct = strideHeight === 1 && strideWidth === 1 && padsNoneNegative(padInfo) && !isFullWindow(info);
    const b = backend as unknown as MemoryBackend;
    const padded = () => (isUnpadded(padInfo) ? x : tmp.track(padSpatially(backend, x, padInfo)));
    const [paddedHeight, paddedWidth] = [inHeight + padInfo.top + padInfo.bottom, inWidth + padInfo.left + padInfo.right];
    if (direct && inChannels % 2 === 0 && outChannels % 16 === 0) {
      // Channels in pairs and sixteens (LeNet-5's C3): one SIMD pass over the NHWC operands, about 2x the conv
      // below, a block of images at a time.
      const dw = b.makeOutput(filterShape, 'float32');
      simd(b).convFilterGradNhwc(offset(b, padded()), offset(b, dy), offset(b, dw), batchSize, paddedHeight, paddedWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, imagesPerBlock(paddedHeight * paddedWidth * inChannels, outHeight * outWidth * outChannels));
      return dw;
    }
    if (direct && inChannels === 1 && outChannels >= 4) {
      // A first layer on grayscale images (LeNet-5's C1): one SIMD pass per tap over the NHWC operands, a block
      // of images at a time.
      const dw = b.makeOutput(filterShape, 'float32');
      const perBlock = imagesPerBlock(paddedHeight * paddedWidth, outHeight * outWidth * outChannels);
      const sums = tmp.track(b.makeOutput(filterShape, 'float32'));
      simd(b).convFilterGradGray(offset(b, padded()), offset(b, dy), offset(b, dw), batchSize, paddedHeight, paddedWidth, outChannels, outHeight, outWidth, filterHeight, filterWidth, perBlock, offset(b, sums));
      return dw;
    }
    if (isFullWindow(info)) {
      const k = filterHeight * filterWidth * inChannels;
      const x2 = tmp.track(reshapeView(backend, x, [1, batchSize, k]));
      const dy2 = tmp.track(reshapeView(backend, dy, [1, batchSize, outChannels]));
      return reshapeView(backend, tmp.track(matMul(backend, x2, dy2, true, false)), filterShape);
    }
    const xT = tmp.track(transpose(backend, x, [3, 1, 2, 0]));
    const dyT = tmp.track(transpose(backend, dy, [1, 2, 0, 3]));
    let grad = tmp.track(
      conv2d(
        backend,
        xT,
        dyT,
        [
          [0, 0],
          [padInfo.top, bottom],
          [padInfo.left, right],
          [0, 0],
        ],
        [strideHeight, strideWidth],
      ),
    );
    if (convHeight !== filterHeight || convWidth !== filterWidth) {
      grad = tmp.track(slice(backend, grad, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels]));
    }
    return transpose(backend, grad, [1, 2, 0, 3]);
  } finally {
    tmp.disposeAll();
  }
}

/**
 * Images per block of the SIMD passes: as many as fit, x's and dy's, in 24 KiB, half of a 48 KiB L1 data cache
 * (at least one). Their passes then read the block from L1 rather than all of x and dy from L2 or memory.
 */
function imagesPerBlock(xFloats: number, dyFloats: number): number {
  return Math.max(1, Math.floor((24 * 1024) / (4 * (xFloats + dyFloats))));
}

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};
