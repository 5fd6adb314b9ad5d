import { onnx } from 'onnx-proto';

/** Integers and lists of integers as written; a float (an epsilon) wrapped as `{ float: value }`. */
export type AttributeValue = number | number[] | { float: number };

/** The batch dimension every tensor in the graph starts with: symbolic, so one file serves any batch size. */
export const BATCH = 'batch';

function tensorType(shape: number[]): onnx.ITypeProto {
  return {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: [{ dimParam: BATCH }, ...shape.map((d) => ({ dimValue: d }))] },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'object' && !Array.isArray(value)) return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value.float };
  return Array.isArray(value)
    ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value }
    : { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

/** Little-endian float32 bytes, as ONNX raw_data requires whatever the host's byte order. */
function rawFloat32(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

export interface NodeArgs {
  op: string;
  /** Node name, `<layer id>/<Op>`; the output tensor carries the same name. */
  name: string;
  inputs: string[];
  attributes?: Record<string, AttributeValue>;
  /** Output shape without the batch dimension, recorded as value_info so the file documents every tensor. */
  shape: number[];
  /** The node's doc_string: what it computes beyond its op (a batchnorm folded in). */
  doc?: string;
}

/** Collects nodes, initializers and tensor shapes of one graph in topological order. */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly shapes = new Map<string, number[]>();

  /** Adds a node with one output and returns the output's name. */
  node({ op, name, inputs, attributes = {}, shape, doc }: NodeArgs): string {
    if (this.shapes.has(name)) throw new Error(`tensor '${name}' is written twice`);
    this.nodes.push({
      name,
      opType: op,
      input: inputs,
      output: [name],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
      ...(doc ? { docString: doc } : {}),
    });
    this.shapes.set(name, shape);
    return name;
  }

  initializer(name: string, dims: number[], data: Float32Array, docString?: string): string {
    this.initializers.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: rawFloat32(data),
      ...(docString ? { docString } : {}),
    });
    return name;
  }

  /**
   * Builds the graph with `input` as its input and `last` renamed to `output`.
   * A graph whose layers emit nothing (dropout only) gets an Identity so input and output stay distinct.
   */
  build(name: string, input: { name: string; shape: number[] }, last: string, output: { name: string; shape: number[] }): onnx.IGraphProto {
    if (last === input.name) {
      last = this.node({ op: 'Identity', name: 'Identity', inputs: [input.name], shape: output.shape });
    }
    for (const node of this.nodes) {
      node.input = node.input!.map((t) => (t === last ? output.name : t));
      node.output = node.output!.map((t) => (t === last ? output.name : t));
    }
    const valueInfo = [...this.shapes]
      .filter(([tensor]) => tensor !== last)
      .map(([tensor, shape]) => ({ name: tensor, type: tensorType(shape) }));
    return {
      name,
      node: this.nodes,
      initializer: this.initializers,
      input: [{ name: input.name, type: tensorType(input.shape) }],
      output: [{ name: output.name, type: tensorType(output.shape) }],
      valueInfo,
    };
  }
}
