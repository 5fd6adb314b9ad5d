import { backend_util, Conv2D, type Conv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { isUnpadded, WASM } from './wasm-ops';

/**
 * Conv2D for wasm on one-channel (grayscale) input at stride 1 without padding, with at least four output
 * channels and columns, LeNet-5's C1: one SIMD pass (simd.wat convGray), where the built-in's GEMM has a
 * reduction of only kh x kw to work with. Everything else goes to the built-in.
 */
export function makeConv2DConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    if (x.shape.length !== 4 || x.shape[3] !== 1 || x.dtype !== 'float32' || (dataFormat !== undefined && dataFormat !== 'NHWC')) {
      return builtin.kernelFunc(args);
    }
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    const gray = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 && isUnpadded(info.padInfo);
    if (!gray || info.outChannels < 4 || info.outWidth < 4) {
      return builtin.kernelFunc(args);
    }
    const b = args.backend as unknown as MemoryBackend;
    const y = b.makeOutput(info.outShape, 'float32');
    if (info.batchSize * info.outHeight * info.outWidth * info.outChannels > 0) {
      simd(b).convGray(offset(b, x), offset(b, filter), offset(b, y), info.batchSize, info.inHeight, info.inWidth, info.outChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth);
    }
    return y;
  };
  return { kernelName: Conv2D, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
