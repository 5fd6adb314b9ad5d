/** A model that cannot be built: the message names the layer (by its id when it has one) and what is wrong. */
export class GraphError extends Error {
  readonly code = 'TY_GRAPH';
  constructor(
    readonly layerIndex: number,
    readonly layerId: string,
    /** What is wrong, without the layer's name: for messages that place the layer themselves. */
    readonly detail: string,
    /** Whether the id was written in the model (`C3`) rather than made from the type and position (`conv2`). */
    named = false,
  ) {
    super(`layer ${named ? layerId : `${layerIndex} (${layerId})`}: ${detail}`);
    this.name = 'GraphError';
  }
}
