export type {
  ActivationLayer,
  ActivationName,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  Layer,
  LayerType,
  ModelSpec,
  ModelSummary,
  ParamSpec,
  PoolLayer,
  ResolvedLayer,
  Shape,
} from './src/types';
export { GraphError } from './src/errors';
export { describeModel, size } from './src/describe';
export { pair, samePadding } from './src/layers/common';
export { poolWindow } from './src/layers/pool';
