import type { DenseLayer } from '../../../graph';
import { applyActivation } from './activation';
import type { LayerEmitter } from './context';

/** y = x · kernel + bias: the [in, out] kernel is Gemm's B as stored, no transpose. */
export const emitDense: LayerEmitter<DenseLayer> = ({ graph, id, layer, input, outputShape, param }) => {
  const kernel = param('kernel')!;
  const inputs = [input, graph.initializer(kernel.spec.name, kernel.spec.shape, kernel.data)];
  const bias = param('bias');
  if (bias) inputs.push(graph.initializer(bias.spec.name, bias.spec.shape, bias.data));
  const gemm = graph.node({ op: 'Gemm', name: `${id}/Gemm`, inputs, shape: outputShape });
  return applyActivation(graph, id, gemm, layer.activation, outputShape);
};
