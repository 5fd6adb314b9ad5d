import { AvgPoolGrad, backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { WASM, type HeapBackend } from './wasm-ops';

/**
 * AvgPoolGrad for wasm with 'valid' padding, as one JavaScript pass over wasm memory: the built-in is
 * scalar C++ that took about a tenth of a LeNet-5 step. Without padding every window holds
 * filterHeight × filterWidth inputs, so each dy spreads dy / (fh·fw) over its window. Padded pools go
 * to the built-in.
 */
export function makeAvgPoolGradConfig(builtin: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    const { filterSize, strides, pad } = attrs as { filterSize: [number, number] | number; strides: [number, number] | number; pad: unknown };
    if (pad !== 'valid' || input.dtype !== 'float32') return builtin.kernelFunc({ inputs, backend, attrs });
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, 'valid');
    const b = backend as unknown as HeapBackend;
    const dx = b.makeOutput(input.shape, 'float32');
    const out = b.typedArrayFromHeap(dx);
    const grad = b.typedArrayFromHeap(dy);
    out.fill(0);
    const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const scale = 1 / (filterHeight * filterWidth);
    for (let n = 0; n < batchSize; n++) {
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++) {
          const from = ((n * outHeight + oy) * outWidth + ox) * c;
          for (let fy = 0; fy < filterHeight; fy++) {
            for (let fx = 0; fx < filterWidth; fx++) {
              const to = ((n * inHeight + oy * strideHeight + fy) * inWidth + ox * strideWidth + fx) * c;
              for (let k = 0; k < c; k++) out[to + k] += grad[from + k] * scale;
            }
          }
        }
      }
    }
    return dx;
  };
  return { kernelName: AvgPoolGrad, backendName: WASM, kernelFunc, setupFunc: builtin.setupFunc };
}
