import type { ActivationLayer, LayerRules } from '../types';

/** An activation on its own: the shape it reads, no parameters. */
export const activationRules: LayerRules<ActivationLayer> = { output: (_, input) => input, params: () => [] };
