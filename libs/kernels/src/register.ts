// The wasm package registers its own kernels on import; importing it here guarantees they are
// registered before ours, so its Conv2DBackpropInput never overwrites the replacement.
import '@tensorflow/tfjs-backend-wasm';
import {
  Add,
  AvgPool,
  AvgPoolGrad,
  BatchMatMul,
  Cast,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  Identity,
  MaxPoolGrad,
  PadV2,
  Sum,
  Transpose,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { makeAddConfig } from './add';
import { registerAdam } from './adam';
import { registerBatchNorm } from './batch-norm';
import { makeAvgPoolConfig } from './avg-pool';
import { makeAvgPoolGradConfig } from './avg-pool-grad';
import { makeBatchMatMulConfig } from './batch-mat-mul';
import { makeCastConfig } from './cast';
import { makeConv2DConfig } from './conv2d';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { makeConv2DBackpropInputConfig } from './conv2d-backprop-input';
import { registerCrossEntropy } from './cross-entropy';
import { registerDense } from './dense';
import { makeIdentityConfig } from './identity';
import { makeMaxPoolGradConfig } from './max-pool-grad';
import { makePadV2Config } from './pad-v2';
import { registerRelu } from './relu';
import { registerScaledTanh } from './scaled-tanh';
import { makeSumConfig } from './sum';
import { makeTransposeConfig } from './transpose';
import { WASM } from './wasm-ops';

// The kernel registry is process-global, so the marker lives on the registered configs
// rather than in module state.
const MARK = Symbol.for('trainyard.kernels');

function isOurs(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config as unknown as Record<symbol, unknown>)[MARK] === true;
}

function mark(config: KernelConfig): KernelConfig {
  return Object.assign(config, { [MARK]: true });
}

/**
 * Registers, for the 'wasm' backend only, a Conv2DBackpropFilter (which tfjs-backend-wasm lacks), faster
 * kernels for the cases training hits (Conv2D on grayscale input, Conv2DBackpropInput, BatchMatMul,
 * AvgPool, AvgPoolGrad and MaxPoolGrad, the zero padding of images, a bias's Add and Sum, a matrix's Transpose, an Identity and a same-dtype Cast that share their input's data; the
 * built-ins keep the other cases), the fused scaled tanh, ReLU with a one-pass gradient, the softmax cross-entropy, batch norm and Adam. Other
 * backends ('cpu', tfjs-node's 'tensorflow') are untouched. Safe to call more than once.
 */
export function registerWasmKernels(): void {
  const filter = getKernel(Conv2DBackpropFilter, WASM);
  // A Conv2DBackpropFilter shipped by a later tfjs-backend-wasm would be native; keep it.
  if (filter === undefined) registerKernel(mark({ ...conv2DBackpropFilterWasmConfig }));

  const input = getKernel(Conv2DBackpropInput, WASM);
  if (!isOurs(input)) {
    if (input !== undefined) unregisterKernel(Conv2DBackpropInput, WASM);
    registerKernel(mark(makeConv2DBackpropInputConfig(input)));
  }
  wrapBuiltin(Conv2D, makeConv2DConfig);
  wrapBuiltin(BatchMatMul, makeBatchMatMulConfig);
  wrapBuiltin(AvgPool, makeAvgPoolConfig);
  wrapBuiltin(AvgPoolGrad, makeAvgPoolGradConfig);
  wrapBuiltin(MaxPoolGrad, makeMaxPoolGradConfig);
  wrapBuiltin(PadV2, makePadV2Config);
  wrapBuiltin(Add, makeAddConfig);
  wrapBuiltin(Sum, makeSumConfig);
  wrapBuiltin(Transpose, makeTransposeConfig);
  wrapBuiltin(Identity, makeIdentityConfig);
  wrapBuiltin(Cast, makeCastConfig);
  registerScaledTanh();
  registerRelu();
  registerAdam();
  registerCrossEntropy();
  registerDense();
  registerBatchNorm();
}

/** Replaces a built-in wasm kernel by one that handles the slow cases itself and delegates the rest. */
function wrapBuiltin(kernelName: string, make: (builtin: KernelConfig) => KernelConfig): void {
  const builtin = getKernel(kernelName, WASM);
  if (builtin === undefined || isOurs(builtin)) return;
  unregisterKernel(kernelName, WASM);
  registerKernel(mark(make(builtin)));
}
