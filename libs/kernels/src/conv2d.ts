import { backend_util, Conv2D, type Conv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { productInto } from './batch-mat-mul';
import { heldByBuiltin } from './in-place';
import { offset, simd, type MemoryBackend } from './simd';
import { Intermediates, isFullWindow, isUnpadded, padSpatially, padsNoneNegative, WASM, type RefCountedBackend } from './wasm-ops';

/**
 * Conv2D for wasm at stride 1, with at least four output channels and four output pixels (LeNet-5's C1, C3 and
 * C5, and 'same' convs after a copy of x with its padding): one SIMD pass (simd.wat conv, or matmul where the
 * filter covers the input) over the filter packed in panels, with fused multiply-adds where the engine has them,
 * which the built-in (XNNPACK, compiled without them) cannot use. Everything else goes to the built-in.
 */
export function makeConv2DConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    const toBuiltin = () => (heldByBuiltin([x, filter]), builtin.kernelFunc(args));
    if (x.shape.length !== 4 || x.dtype !== 'float32' || (dataFormat !== undefined && dataFormat !== 'NHWC')) return toBuiltin();
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, 'channelsLast');
    const { top, bottom, left, right } = info.padInfo;
    const plain = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 && padsNoneNegative(info.padInfo);
    if (!plain || info.outChannels < 4 || info.batchSize * info.outHeight * info.outWidth < 4) return toBuiltin();
    const b = args.backend as unknown as MemoryBackend;
    const tmp = new Intermediates(args.backend as unknown as RefCountedBackend);
    try {
      const k = info.filterHeight * info.filterWidth * info.inChannels;
      const y = b.makeOutput(info.outShape, 'float32');
      if (isFullWindow(info) && info.batchSize >= 3) {
        // One output pixel an image (LeNet-5's C5): the product of x [N, kh kw Cin] and the filter [kh kw Cin, Cout],
        // the same sums in the same order.
        productInto(b, tmp, x, filter, y, info.batchSize, k, info.outChannels);
        return y;
      }
      const padded = isUnpadded(info.padInfo) ? x : tmp.track(padSpatially(args.backend as unknown as RefCountedBackend, x, info.padInfo));
      const panels = tmp.track(b.makeOutput([Math.ceil(info.outChannels / 8) * k * 8], 'float32'));
      const kernels = simd(b);
      kernels.packPanels(offset(b, filter), offset(b, panels), k, info.outChannels, 0, 8);
      kernels.conv(offset(b, padded), offset(b, panels), offset(b, y), info.batchSize, info.inHeight + top + bottom, info.inWidth + left + right, info.inChannels, info.outHeight, info.outWidth, info.outChannels, info.filterHeight, info.filterWidth);
      return y;
    } finally {
      tmp.disposeAll();
    }
  };
  return { kernelName: Conv2D, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
