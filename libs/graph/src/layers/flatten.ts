import type { FlattenLayer, LayerRules } from '../types';

/** Any shape to one vector of its size. */
export const flattenRules: LayerRules<FlattenLayer> = { output: (_, input) => [input.reduce((a, b) => a * b, 1)], params: () => [] };
