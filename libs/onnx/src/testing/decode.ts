/** Test support: reads an exported file back with onnx-proto. */
import { onnx } from 'onnx-proto';

export interface DecodedGraph {
  model: onnx.ModelProto;
  graph: onnx.GraphProto;
  nodes: onnx.NodeProto[];
  initializers: onnx.TensorProto[];
}

export function decode(bytes: Uint8Array): DecodedGraph {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph as onnx.GraphProto;
  return { model, graph, nodes: graph.node as onnx.NodeProto[], initializers: graph.initializer as onnx.TensorProto[] };
}

export function opTypes(bytes: Uint8Array): string[] {
  return decode(bytes).nodes.map((n) => n.opType);
}

export function ints(attribute: onnx.IAttributeProto | undefined): number[] {
  return (attribute?.ints ?? []).map(Number);
}

/** The values of a float initializer; copies the bytes, since a decoded buffer may be a view into a larger one. */
export function floatsOf(tensor: onnx.TensorProto): Float32Array {
  const bytes = new Uint8Array(tensor.rawData);
  return new Float32Array(bytes.buffer, 0, bytes.length / 4);
}
