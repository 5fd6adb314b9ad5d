/**
 * The model graph language: a sequence of layers applied to one input.
 * Shapes are written channels-first, as in the papers and in ONNX: [C, H, W] for
 * images, [D] for vectors. The batch dimension is implicit.
 */
export type Shape = number[];

export type {
  ActivationLayer,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  Layer,
  PoolLayer,
  Activation as ActivationName,
} from '../../spec/src/config';
import type { Layer } from '../../spec/src/config';

export type LayerType = Layer['type'];

/** What the graph needs of a model section: the YAML `model` block satisfies it. */
export interface ModelSpec {
  /** Input shape [C, H, W] (or [D] for vector input). */
  input: Shape;
  layers: Layer[];
}

/** A trainable tensor of a layer. Conv kernels are stored [kh, kw, in, out], dense [in, out]. */
export interface ParamSpec {
  /** `<layer id>/<role>`, unique in a model. */
  name: string;
  role: 'kernel' | 'bias';
  shape: number[];
  /** Glorot-uniform fans for kernels. */
  fanIn: number;
  fanOut: number;
}

/** A layer with its id resolved and the shapes it reads and writes. */
export interface ResolvedLayer {
  id: string;
  layer: Layer;
  inputShape: Shape;
  outputShape: Shape;
  params: ParamSpec[];
}

export interface ModelSummary {
  input: Shape;
  layers: ResolvedLayer[];
  output: Shape;
  paramCount: number;
}
