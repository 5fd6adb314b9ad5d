import { onnx } from 'onnx-proto';
import type { Weights } from '../../artifacts';
import { describeModel, size, type Layer, type LayerOf, type LayerType, type ModelSpec, type ModelSummary, type ParamSpec } from '../../graph';
import { GraphBuilder } from './builder';
import { OnnxExportError } from './errors';
import { planInference } from './fold';
import { emitActivation } from './layers/activation';
import { emitBatchNorm } from './layers/batchnorm';
import type { LayerContext, LayerEmitter } from './layers/context';
import { emitConv } from './layers/conv';
import { emitDense } from './layers/dense';
import { emitDropout } from './layers/dropout';
import { emitFlatten } from './layers/flatten';
import { emitPool } from './layers/pool';
import { emitSubsample } from './layers/subsample';

export interface ExportOnnxOptions {
  /** The model graph, as in the pipeline's `model` section. */
  model: ModelSpec;
  /** Trained parameters and state by ParamSpec name; every tensor the model declares must be there, with its shape. */
  weights: Weights;
  /** ONNX opset, 13 to 21; the IR version follows from it. */
  opset: number;
  /** Name of the ONNX graph (the pipeline or model name). */
  graphName: string;
  /** Written as the model's metadata_props, in this order. */
  metadata: Record<string, string>;
}

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'logits';
/** The metadata key under which an evaluated model carries its model card (model.json) as JSON. */
export const CARD_KEY = 'trainyard.card';

/** The lowest IR version that carries each opset (ONNX's release table): older runtimes reject newer IR versions. */
const IR_VERSION_BY_OPSET: Record<number, number> = {
  13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10,
};

export function irVersionFor(opset: number): number {
  const ir = IR_VERSION_BY_OPSET[opset];
  if (ir === undefined) throw new OnnxExportError(`export -> opset: must be an integer from 13 to 21 (got ${opset})`);
  return ir;
}

// Keyed by every layer type, so a layer type added to the schema does not typecheck until it has an emitter.
export const LAYER_EMITTERS: { [T in LayerType]: LayerEmitter<LayerOf<T>> } = {
  conv: emitConv,
  avgpool: emitPool,
  maxpool: emitPool,
  subsample: emitSubsample,
  flatten: emitFlatten,
  dense: emitDense,
  batchnorm: emitBatchNorm,
  activation: emitActivation,
  dropout: emitDropout,
};

/** Checks that the weights hold exactly the model's parameters, each with its declared shape. */
function checkWeights(summary: ModelSummary, weights: Weights): void {
  const declared = new Set<string>();
  for (const { params } of summary.layers) {
    for (const spec of params) {
      declared.add(spec.name);
      const w = weights[spec.name];
      if (!w) throw new OnnxExportError(`weights: '${spec.name}' is missing (the model declares it with shape [${spec.shape.join(', ')}])`);
      if (w.shape.length !== spec.shape.length || w.shape.some((d, i) => d !== spec.shape[i])) {
        throw new OnnxExportError(`weights: '${spec.name}' has shape [${w.shape.join(', ')}], the model declares [${spec.shape.join(', ')}]`);
      }
      if (w.data.length !== size(spec.shape)) {
        throw new OnnxExportError(`weights: '${spec.name}' holds ${w.data.length} values, its shape [${spec.shape.join(', ')}] needs ${size(spec.shape)}`);
      }
    }
  }
  const extra = Object.keys(weights).filter((name) => !declared.has(name));
  if (extra.length > 0) throw new OnnxExportError(`weights: '${extra.join("', '")}' not declared by the model: were these weights trained for another model?`);
}

/**
 * Writes a trained model as an ONNX file: input `input` float32 [batch, C, H, W] (NCHW),
 * output `logits` float32 [batch, classes], initializers named like the weights (`C1/kernel`).
 * The graph is the inference form PyTorch's exporter writes (see planInference): batchnorms folded where they can be, no dropout.
 */
export function exportOnnx(opts: ExportOnnxOptions): Uint8Array {
  const { model, weights, opset, graphName, metadata } = opts;
  const irVersion = irVersionFor(opset);
  const summary = describeModel(model);
  if (summary.output.length !== 1) {
    throw new OnnxExportError(`model: the last layer must output class logits [classes], got [${summary.output.join(', ')}]: add a flatten and a dense layer`);
  }
  checkWeights(summary, weights);

  const data = (spec: ParamSpec) => weights[spec.name].data;
  const plans = planInference(summary.layers, (layer, role) => data(layer.params.find((p) => p.role === role)!));
  const graph = new GraphBuilder();
  let tensor = INPUT_NAME;
  summary.layers.forEach((resolved, i) => {
    const { foldedInto, ...plan } = plans[i];
    if (foldedInto !== undefined) return; // written by the conv or dense it was folded into
    const ctx: LayerContext = {
      ...plan,
      graph,
      id: resolved.id,
      layer: resolved.layer,
      inputShape: resolved.inputShape,
      outputShape: resolved.outputShape,
      input: tensor,
      param: (role) => {
        const spec = resolved.params.find((p) => p.role === role);
        return spec && { spec, data: data(spec) };
      },
    };
    // The registry is keyed by type, so the emitter found matches ctx.layer.
    const emit = LAYER_EMITTERS[resolved.layer.type] as LayerEmitter<Layer>;
    tensor = emit(ctx);
  });

  const proto: onnx.IModelProto = {
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'trainyard',
    docString: `${graphName}: input [batch, ${summary.input.join(', ')}] float32${summary.input.length === 3 ? ' (NCHW)' : ''}; output logits [batch, ${summary.output[0]}] before softmax.`,
    graph: graph.build(graphName, { name: INPUT_NAME, shape: summary.input }, tensor, { name: OUTPUT_NAME, shape: summary.output }),
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value: String(value) })),
  };
  return onnx.ModelProto.encode(proto).finish();
}

/** The model with these metadata_props set (replacing any of the same key): the graph is untouched. */
export function withMetadata(model: Uint8Array, props: Record<string, string>): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  const kept = (proto.metadataProps ?? []).filter((p) => !(p.key! in props));
  proto.metadataProps = [...kept, ...Object.entries(props).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }))];
  return onnx.ModelProto.encode(proto).finish();
}
