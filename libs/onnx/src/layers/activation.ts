import { SCALED_TANH, type ActivationLayer, type ActivationName, type Shape } from '../../../graph';
import type { GraphBuilder } from '../builder';
import type { LayerEmitter } from './context';

const ops: Record<Exclude<ActivationName, 'scaled-tanh'>, string | undefined> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: undefined,
};

/** f(a) = A tanh(S a) as Mul, Tanh, Mul, with A and S as scalar initializers of the layer. */
function scaledTanh(graph: GraphBuilder, id: string, input: string, shape: Shape): string {
  const { A, S } = SCALED_TANH;
  const s = graph.initializer(`${id}/ScaledTanh/S`, [], Float32Array.of(S), 'S = 2/3 in f(a) = A tanh(S a) (LeCun et al. 1998)');
  const a = graph.initializer(`${id}/ScaledTanh/A`, [], Float32Array.of(A), `A = ${A} in f(a) = A tanh(S a) (LeCun et al. 1998)`);
  const scaled = graph.node({ op: 'Mul', name: `${id}/ScaledTanh/MulS`, inputs: [input, s], shape });
  const tanh = graph.node({ op: 'Tanh', name: `${id}/ScaledTanh/Tanh`, inputs: [scaled], shape });
  return graph.node({ op: 'Mul', name: `${id}/ScaledTanh/MulA`, inputs: [tanh, a], shape });
}

/** Applies an activation to `input`; 'linear' (or none) writes nothing and returns `input`. */
export function applyActivation(graph: GraphBuilder, id: string, input: string, activation: ActivationName | undefined, shape: Shape): string {
  if (activation === 'scaled-tanh') return scaledTanh(graph, id, input, shape);
  const op = ops[activation ?? 'linear'];
  return op ? graph.node({ op, name: `${id}/${op}`, inputs: [input], shape }) : input;
}

export const emitActivation: LayerEmitter<ActivationLayer> = ({ graph, id, layer, input, outputShape }) =>
  applyActivation(graph, id, input, layer.activation, outputShape);
