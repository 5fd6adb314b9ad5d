import { poolWindow, samePadding, type PoolLayer } from '../../../graph';
import type { LayerEmitter } from './context';

export const emitPool: LayerEmitter<PoolLayer> = ({ graph, id, layer, input, inputShape, outputShape }) => {
  const [, h, w] = inputShape;
  const { size, stride, padding } = poolWindow(layer);
  const same = padding === 'same';
  const [top, bottom] = same ? samePadding(h, size[0], stride[0]) : [0, 0];
  const [left, right] = same ? samePadding(w, size[1], stride[1]) : [0, 0];
  const attributes = { kernel_shape: size, strides: stride, pads: [top, left, bottom, right] };
  if (layer.type === 'maxpool') {
    return graph.node({ op: 'MaxPool', name: `${id}/MaxPool`, inputs: [input], attributes, shape: outputShape });
  }
  // TensorFlow averages over the pixels inside the image only: padded cells do not count.
  return graph.node({
    op: 'AveragePool',
    name: `${id}/AveragePool`,
    inputs: [input],
    attributes: { ...attributes, count_include_pad: 0 },
    shape: outputShape,
  });
};
