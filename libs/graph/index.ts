/** The model graph language: layer types, shapes, parameter counts, the MLP matched to a model. */
export type * from './src/types';
export { GraphError } from './src/errors';
export { describeModel, multiplyAdds, size } from './src/describe';
export { matchWidths, MlpError, mlpLayers, mlpParams, signedPercent, withinTolerance, type MlpExpansion } from './src/mlp';
export { pair, samePadding } from './src/layers/common';
export { poolWindow } from './src/layers/pool';
export { convOptions } from './src/layers/conv';
export { denseBias } from './src/layers/dense';
export { subsampleWindow } from './src/layers/subsample';
export { batchnormOptions } from './src/layers/batchnorm';
export { kernelMask, LECUN_1998_C3 } from './src/layers/connections';
export { SCALED_TANH } from './src/activation';
