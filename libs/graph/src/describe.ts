import { GraphError } from './errors';
import { batchnormOutput, batchnormParams } from './layers/batchnorm';
import { convOutput, convParams } from './layers/conv';
import { denseOutput, denseParams } from './layers/dense';
import { poolOutput } from './layers/pool';
import { subsampleOutput, subsampleParams } from './layers/subsample';
import type { Layer, ModelSpec, ModelSummary, ParamSpec, ResolvedLayer, Shape } from './types';

function outputOf(layer: Layer, input: Shape): Shape {
  switch (layer.type) {
    case 'conv':
      return convOutput(layer, input);
    case 'avgpool':
    case 'maxpool':
      return poolOutput(layer, input);
    case 'subsample':
      return subsampleOutput(layer, input);
    case 'flatten':
      return [input.reduce((a, b) => a * b, 1)];
    case 'dense':
      return denseOutput(layer, input);
    case 'batchnorm':
      return batchnormOutput(input);
    case 'activation':
    case 'dropout':
      return input;
  }
}

function paramsOf(id: string, layer: Layer, input: Shape): ParamSpec[] {
  switch (layer.type) {
    case 'conv':
      return convParams(id, layer, input);
    case 'dense':
      return denseParams(id, layer, input);
    case 'subsample':
      return subsampleParams(id, layer, input);
    case 'batchnorm':
      return batchnormParams(id, input);
    default:
      return [];
  }
}

/** Default ids follow the layer's position and type (`conv1`, `dense2`, ...) so they stay stable under edits elsewhere. */
function layerIds(layers: Layer[]): string[] {
  const seen = new Map<string, number>();
  const ids = layers.map((layer) => {
    if (layer.id) return layer.id;
    const n = (seen.get(layer.type) ?? 0) + 1;
    seen.set(layer.type, n);
    return `${layer.type}${n}`;
  });
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new GraphError(ids.lastIndexOf(dup), dup, `id '${dup}' is used twice`);
  return ids;
}

/** Resolves ids and shapes of every layer and counts parameters. Throws GraphError on a shape that does not fit. */
export function describeModel(model: ModelSpec): ModelSummary {
  const ids = layerIds(model.layers);
  let shape = model.input;
  const layers: ResolvedLayer[] = model.layers.map((layer, i) => {
    try {
      const outputShape = outputOf(layer, shape);
      const params = paramsOf(ids[i], layer, shape);
      const paramCount = params.reduce((n, p) => n + p.count, 0);
      const resolved = { id: ids[i], layer, inputShape: shape, outputShape, params, paramCount };
      shape = outputShape;
      return resolved;
    } catch (e) {
      if (e instanceof GraphError) throw e;
      throw new GraphError(i, ids[i], (e as Error).message);
    }
  });
  const paramCount = layers.reduce((n, l) => n + l.paramCount, 0);
  return { input: model.input, layers, output: shape, paramCount };
}

/**
 * Multiply-adds of one image's forward pass, roughly: each weight once per output position it is used at,
 * plus each layer's output once (activations, pooling, normalization). The backward pass costs about twice
 * the forward for every layer, so ratios between models hold for training too.
 */
export function multiplyAdds(model: ModelSpec): number {
  let work = 0;
  for (const layer of describeModel(model).layers) {
    const positions = layer.layer.type === 'conv' ? size(layer.outputShape.slice(1)) : 1;
    for (const p of layer.params) if (p.role === 'kernel') work += p.count * positions;
    work += size(layer.outputShape);
  }
  return work;
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
