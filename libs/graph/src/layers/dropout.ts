import type { DropoutLayer, LayerRules } from '../types';

/** Dropout: the shape it reads, no parameters (its mask is drawn per step in training only). */
export const dropoutRules: LayerRules<DropoutLayer> = { output: (_, input) => input, params: () => [] };
