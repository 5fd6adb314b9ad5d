import { AvgPool, backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { WASM } from './wasm-ops';

/** AvgPool for wasm with 'valid' padding, as one SIMD pass (simd.wat); padded pools go to the built-in. */
export function makeAvgPoolConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as { filterSize: [number, number] | number; strides: [number, number] | number; pad: unknown; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
    if (pad !== 'valid' || x.dtype !== 'float32' || x.shape.length !== 4) return builtin.kernelFunc({ inputs, backend, attrs });
    const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, 'valid', dimRoundingMode);
    const b = backend as unknown as MemoryBackend;
    const y = b.makeOutput(info.outShape, 'float32');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    if (batchSize * outHeight * outWidth * inChannels > 0) {
      simd(b).avgPool(offset(b, x), offset(b, y), batchSize, outHeight, outWidth, inHeight, inWidth, inChannels, strideHeight, strideWidth, filterHeight, filterWidth, 1 / (filterHeight * filterWidth));
    }
    return y;
  };
  return { kernelName: AvgPool, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
