import type { Layer, ParamSpec, Shape } from '../../../graph';
import type { GraphBuilder } from '../builder';
import type { LayerPlan } from '../fold';

/** What an emitter knows about the layer it writes: everything comes from describeModel and the inference plan. */
export interface LayerContext<L extends Layer = Layer> extends Omit<LayerPlan, 'foldedInto'> {
  graph: GraphBuilder;
  id: string;
  layer: L;
  /** [C, H, W] or [D], without the batch. */
  inputShape: Shape;
  outputShape: Shape;
  /** Name of the tensor the layer reads. */
  input: string;
  /** A parameter of this layer with its checked data, undefined when the layer has none of that role (bias: false). */
  param(role: ParamSpec['role']): { spec: ParamSpec; data: Float32Array } | undefined;
}

/** Writes one layer's nodes and initializers and returns the name of the tensor it outputs. */
export type LayerEmitter<L extends Layer = Layer> = (ctx: LayerContext<L>) => string;
