import { AvgPoolGrad, backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { offset, simd, type MemoryBackend } from './simd';
import { WASM } from './wasm-ops';

/**
 * AvgPoolGrad for wasm with 'valid' padding, as one SIMD pass (simd.wat): the built-in is scalar C++
 * that took about a tenth of a LeNet-5 step. Without padding every window holds
 * filterHeight × filterWidth inputs, so each dy spreads dy / (fh·fw) over its window: where the windows
 * tile the input (LeNet-5's S2 and S4) each input pixel is written once, elsewhere added to a zeroed dx.
 * Padded pools go to the built-in.
 */
export function makeAvgPoolGradConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    const { filterSize, strides, pad } = attrs as { filterSize: [number, number] | number; strides: [number, number] | number; pad: unknown };
    if (pad !== 'valid' || input.dtype !== 'float32') return builtin.kernelFunc({ inputs, backend, attrs });
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, 'valid');
    const b = backend as unknown as MemoryBackend;
    const dx = b.makeOutput(input.shape, 'float32');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const scale = 1 / (filterHeight * filterWidth);
    // Windows that tile the input write each of its pixels once; only pixels past the last window need zeroing.
    const tiles = strideHeight === filterHeight && strideWidth === filterWidth && inChannels >= 4;
    const covered = outHeight * filterHeight === inHeight && outWidth * filterWidth === inWidth;
    if (!tiles || !covered) b.typedArrayFromHeap(dx).fill(0);
    if (batchSize * outHeight * outWidth * inChannels > 0) {
      if (tiles) {
        simd(b).avgPoolGradTiles(offset(b, dy), offset(b, dx), batchSize, outHeight, outWidth, inHeight, inWidth, inChannels, filterHeight, filterWidth, scale);
      } else {
        simd(b).spreadWindows(offset(b, dy), offset(b, dx), batchSize, outHeight, outWidth, inHeight, inWidth, inChannels, strideHeight, strideWidth, filterHeight, filterWidth, scale, 0);
      }
    }
    return dx;
  };
  return { kernelName: AvgPoolGrad, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
