import { GraphError } from './errors';
import { activationRules } from './layers/activation';
import { batchnormRules } from './layers/batchnorm';
import { convRules } from './layers/conv';
import { denseRules } from './layers/dense';
import { dropoutRules } from './layers/dropout';
import { flattenRules } from './layers/flatten';
import { poolRules } from './layers/pool';
import { subsampleRules } from './layers/subsample';
import type { Layer, LayerOf, LayerRules, LayerType, ModelSpec, ModelSummary, ParamSpec, ResolvedLayer, Shape } from './types';

/** Keyed by every layer type, so a type added to the schema does not compile until it has its rules. */
export const LAYER_RULES: { [T in LayerType]: LayerRules<LayerOf<T>> } = {
  conv: convRules,
  avgpool: poolRules,
  maxpool: poolRules,
  subsample: subsampleRules,
  flatten: flattenRules,
  dense: denseRules,
  batchnorm: batchnormRules,
  activation: activationRules,
  dropout: dropoutRules,
};

// The registry is keyed by type, so the rules found match the layer.
const rulesOf = (layer: Layer) => LAYER_RULES[layer.type] as LayerRules<Layer>;
const outputOf = (layer: Layer, input: Shape): Shape => rulesOf(layer).output(layer, input);
const paramsOf = (id: string, layer: Layer, input: Shape): ParamSpec[] => rulesOf(layer).params(id, layer, input);

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
  if (dup !== undefined) throw new GraphError(ids.lastIndexOf(dup), dup, `id '${dup}' is used twice`, layers[ids.lastIndexOf(dup)].id !== undefined);
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
      throw new GraphError(i, ids[i], (e as Error).message, layer.id !== undefined);
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
