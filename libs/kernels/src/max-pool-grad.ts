import { backend_util, MaxPoolGrad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { isUnpadded, WASM } from './wasm-ops';

/**
 * MaxPoolGrad for wasm as one SIMD pass (simd.wat maxPoolGrad). The built-in of tfjs-backend-wasm 4.22 loses
 * the gradient of every window whose values are all negative (a pool right after a conv, before its
 * activation), and took about a seventh of a step of fashion-small-convnet's model.
 */
export function makeMaxPoolGradConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (input.dtype !== 'float32' || input.shape.length !== 4) return builtin.kernelFunc({ inputs, backend, attrs });
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const b = backend as unknown as MemoryBackend;
    const dx = b.makeOutput(input.shape, 'float32');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = info;
    // Windows that tile the input (fashion-small-convnet's 2x2 pools) write each dx position once.
    const tiles = filterHeight === strideHeight && filterWidth === strideWidth && outHeight * strideHeight === inHeight && outWidth * strideWidth === inWidth && inChannels % 4 === 0 && isUnpadded(padInfo);
    simd(b).maxPoolGrad(offset(b, input), offset(b, output), offset(b, dy), offset(b, dx), batchSize, outHeight, outWidth, inHeight, inWidth, inChannels, strideHeight, strideWidth, filterHeight, filterWidth, padInfo.top, padInfo.left, tiles ? 1 : 0);
    return dx;
  };
  return { kernelName: MaxPoolGrad, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
