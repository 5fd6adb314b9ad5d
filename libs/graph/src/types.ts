/**
 * The model graph language: a sequence of layers applied to one input.
 * Shapes are written channels-first, as in the papers and in ONNX: [C, H, W] for
 * images, [D] for vectors. The batch dimension is implicit.
 */
export type Shape = number[];

export type {
  ActivationLayer,
  BatchNormLayer,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  Layer,
  Mlp,
  PoolLayer,
  SubsampleLayer,
  Activation as ActivationName,
} from '../../pipeline-schema';
import type { Layer } from '../../pipeline-schema';

export type LayerType = Layer['type'];

/** The member of the Layer union whose `type` can be T (a pool layer is either 'avgpool' or 'maxpool'). */
export type LayerOf<T extends LayerType> = Layer extends infer L ? (L extends { type: infer U } ? (T extends U ? L : never) : never) : never;

/**
 * What the graph knows of one layer type, from the shape it reads ([C, H, W] or [D]): the shape it
 * outputs and the parameters it holds. Each type's rules live in its file under layers/.
 */
export interface LayerRules<L extends Layer> {
  output(layer: L, input: Shape): Shape;
  params(id: string, layer: L, input: Shape): ParamSpec[];
}

/** What the graph needs of a model section: the YAML `model` block satisfies it. */
export interface ModelSpec {
  /** Input shape [C, H, W] (or [D] for vector input). */
  input: Shape;
  layers: Layer[];
}

/**
 * What a tensor of a layer is for. `moving_mean` and `moving_variance` are state (batchnorm's running
 * statistics): kept with the weights, never given to the optimizer.
 */
export type ParamRole = 'kernel' | 'bias' | 'coefficient' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';

/**
 * A tensor a layer holds: a trainable parameter or state. Conv kernels are stored [kh, kw, in, out], dense [in, out],
 * per-channel tensors (biases, coefficients, batchnorm's) [C] or [D].
 */
export interface ParamSpec {
  /** `<layer id>/<role>`, unique in a model. */
  name: string;
  role: ParamRole;
  shape: number[];
  /** Glorot-uniform fans for kernels; 0 for tensors that start at `initial`. */
  fanIn: number;
  fanOut: number;
  /** The value every entry starts at. Absent for kernels, which start Glorot-uniform from the fans. */
  initial?: number;
  /** false for state (batchnorm's moving statistics): set from the training forward's statistics, not by the optimizer; stored with the weights, not counted. */
  trainable: boolean;
  /** What the tensor adds to the model's parameter count: its size; only the connected weights of a kernel with `connections`; 0 for state. */
  count: number;
  /**
   * Conv kernels with a partial connection table: the input maps each filter reads (one list per filter).
   * The kernel keeps its dense [kh, kw, in, out] shape; weights between a filter and an input map it does not read
   * are fixed at zero (kernelMask gives the 0/1 mask).
   */
  connections?: number[][];
}

/** A layer with its id resolved and the shapes it reads and writes. */
export interface ResolvedLayer {
  id: string;
  layer: Layer;
  inputShape: Shape;
  outputShape: Shape;
  /** Every tensor of the layer, trainable or state, in a fixed order. */
  params: ParamSpec[];
  /** Trainable parameters of the layer (the sum of its params' `count`). */
  paramCount: number;
}

export interface ModelSummary {
  input: Shape;
  layers: ResolvedLayer[];
  output: Shape;
  /** Trainable parameters, as PyTorch counts them: connected weights only, batchnorm's moving statistics left out. */
  paramCount: number;
}
