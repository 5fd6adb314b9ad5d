/** A model that cannot be built: the message names the layer and what is wrong. */
export class GraphError extends Error {
  readonly code = 'TY_GRAPH';
  constructor(
    readonly layerIndex: number,
    readonly layerId: string,
    message: string,
  ) {
    super(`layer ${layerIndex} (${layerId}): ${message}`);
    this.name = 'GraphError';
  }
}
