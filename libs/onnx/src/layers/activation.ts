import type { ActivationLayer, ActivationName, Shape } from '../../../graph';
import type { GraphBuilder } from '../builder';
import type { LayerEmitter } from './context';

const ops: Record<ActivationName, string | undefined> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: undefined,
};

/** Applies an activation to `input`; 'linear' (or none) writes nothing and returns `input`. */
export function applyActivation(graph: GraphBuilder, id: string, input: string, activation: ActivationName | undefined, shape: Shape): string {
  const op = ops[activation ?? 'linear'];
  return op ? graph.node({ op, name: `${id}/${op}`, inputs: [input], shape }) : input;
}

export const emitActivation: LayerEmitter<ActivationLayer> = ({ graph, id, layer, input, outputShape }) =>
  applyActivation(graph, id, input, layer.activation, outputShape);
