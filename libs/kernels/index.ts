// The TensorFlow.js wasm kernels: registerWasmKernels puts them in the registry (for the wasm backend only),
// and the fused ops below run them where the active backend has them, built-ins elsewhere.
export { registerWasmKernels } from './src/register';
export { fusedMultiplyAdd } from './src/simd';
export { scaledTanh } from './src/scaled-tanh';
export { relu } from './src/relu';
export { crossEntropy } from './src/cross-entropy';
export { dense, type DenseActivation } from './src/dense';
export { stackGradients, type ConvStage, type Stack, type StackLayer } from './src/stack';
export { adamInPlace, adamStep } from './src/adam';
export { addInPlace, readData } from './src/in-place';
export { batchNormalize, batchNormTraining } from './src/batch-norm';
export { addNormal, Shr3 } from './src/normal';
export { makeResample, type ImageSize, type Placement } from './src/resample';
export { imageArea } from './src/image-memory';
