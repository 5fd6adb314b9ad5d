import { batchnormOptions, type BatchNormLayer, type ResolvedLayer } from '../../graph';
import type { GraphBuilder } from './builder';

/** y = scale * x + shift per output channel: the inference form of one or more batchnorms in a row. */
export interface ChannelAffine {
  /** The batchnorm layers folded in, in order. */
  ids: string[];
  scale: Float64Array;
  shift: Float64Array;
}

/** What the export writes for one layer, decided from the layers around it. */
export interface LayerPlan {
  /** A batchnorm folded into the conv or dense before it: it writes nothing. */
  foldedInto?: string;
  /** On a conv or dense: the batchnorms right after it, folded into its weights and bias. */
  affine?: ChannelAffine;
  /**
   * On a Flatten of feature maps whose order a dense absorbs, and on the vector layers after it up to that dense:
   * element i of the vector (flattened in NCHW's (C, H, W) order) is element flattened[i] of TensorFlow.js's
   * (H, W, C) order, the one the weights were trained on.
   */
  flattened?: Int32Array;
  /** On a Flatten of several maps whose vector is the output: transpose to NHWC first, for TensorFlow.js's (H, W, C) order. */
  transpose?: boolean;
}

type Param = (layer: ResolvedLayer, role: 'gamma' | 'beta' | 'moving_mean' | 'moving_variance') => Float32Array;

/** (C, H, W) position -> (H, W, C) position of the same value. */
function chwToHwc(c: number, h: number, w: number): Int32Array {
  const order = new Int32Array(c * h * w);
  for (let ci = 0; ci < c; ci++) for (let p = 0; p < h * w; p++) order[ci * h * w + p] = p * c + ci;
  return order;
}

/** Composes a batchnorm after `before` (or alone): s = gamma / sqrt(variance + epsilon), y = s * x + (beta - s * mean). */
function compose(before: ChannelAffine | undefined, id: string, layer: BatchNormLayer, param: (role: Parameters<Param>[1]) => Float32Array): ChannelAffine {
  // TensorFlow.js adds epsilon as a float32, and ONNX's attribute is one.
  const epsilon = Math.fround(batchnormOptions(layer).epsilon);
  const [gamma, beta, mean, variance] = (['gamma', 'beta', 'moving_mean', 'moving_variance'] as const).map(param);
  const n = gamma.length;
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const s = gamma[c] / Math.sqrt(variance[c] + epsilon);
    scale[c] = (before ? before.scale[c] : 1) * s;
    shift[c] = (before ? before.shift[c] : 0) * s + beta[c] - s * mean[c];
  }
  return { ids: [...(before?.ids ?? []), id], scale, shift };
}

/**
 * The inference graph as PyTorch's exporter writes it: a batchnorm right after a conv or dense without activation
 * (dropout, the identity at inference, may sit between) is folded into it; a Flatten of [C, H, W] maps stays in
 * NCHW order and the next dense's rows are permuted to match. Without a dense after it (the flatten's vector is
 * the output) the flatten's emitter transposes to NHWC instead.
 */
export function planInference(layers: ResolvedLayer[], param: Param): LayerPlan[] {
  const plans: LayerPlan[] = layers.map(() => ({}));
  let producer: number | undefined; // the conv or dense whose output reaches this layer unchanged
  let flattened: Int32Array | undefined;
  layers.forEach((resolved, i) => {
    const { id, layer, inputShape } = resolved;
    if (flattened) plans[i].flattened = flattened;
    if (layer.type === 'dense') flattened = undefined;
    if (layer.type === 'flatten' && inputShape.length === 3) {
      const [c, h, w] = inputShape;
      // Both orders coincide for one map or one pixel. Without a dense after it to take the order, the vector is the output.
      if (c > 1 && h * w > 1) {
        if (layers.slice(i + 1).some((l) => l.layer.type === 'dense')) flattened = plans[i].flattened = chwToHwc(c, h, w);
        else plans[i].transpose = true;
      }
    }

    if (layer.type === 'batchnorm' && producer !== undefined) {
      plans[i].foldedInto = layers[producer].id;
      plans[producer].affine = compose(plans[producer].affine, id, layer, (role) => param(resolved, role));
    } else if ((layer.type === 'conv' || layer.type === 'dense') && (layer.activation ?? 'linear') === 'linear') {
      producer = i;
    } else if (layer.type !== 'dropout') {
      producer = undefined;
    }
  });
  return plans;
}

/** How a folded layer's node and tensors say what they hold: `BN1 folded in`, `BN1 then BN2 folded in`. */
function foldedIn(affine: ChannelAffine): string {
  return `${affine.ids.join(' then ')} folded in`;
}

/** The doc_string of a bias a batchnorm was folded into. */
const foldedBias = (affine: ChannelAffine) => `${foldedIn(affine)}: (bias - moving_mean) * gamma / sqrt(moving_variance + epsilon) + beta`;

/**
 * Weights [out, ...] (each output channel's values contiguous, as OIHW and Gemm's transposed B) and bias times
 * the affine's scale, plus its shift: the layer then writes what the batchnorm after it would have.
 */
function foldAffine(weight: Float32Array, bias: Float32Array | undefined, affine: ChannelAffine): { weight: Float32Array; bias: Float32Array } {
  const outs = affine.scale.length;
  const per = weight.length / outs;
  const folded = new Float32Array(weight.length);
  for (let i = 0; i < weight.length; i++) folded[i] = weight[i] * affine.scale[Math.floor(i / per)];
  return { weight: folded, bias: Float32Array.from(affine.scale, (s, o) => s * (bias ? bias[o] : 0) + affine.shift[o]) };
}

/**
 * The weight and bias inputs of a conv or dense (weight [out, ...]) with the batchnorms after it folded in,
 * each initializer saying what it holds, and the node's doc_string when something was folded.
 */
export function weightInputs(
  graph: GraphBuilder,
  o: { id: string; input: string; name: string; dims: number[]; weight: Float32Array; bias?: Float32Array; affine?: ChannelAffine; notes: string[]; scaled: string },
): { inputs: string[]; doc?: string } {
  const { weight, bias } = o.affine ? foldAffine(o.weight, o.bias, o.affine) : o;
  const notes = o.affine ? [...o.notes, `${foldedIn(o.affine)}: ${o.scaled} times gamma / sqrt(moving_variance + epsilon)`] : o.notes;
  const inputs = [o.input, graph.initializer(o.name, o.dims, weight, notes.join('; '))];
  if (bias) inputs.push(graph.initializer(`${o.id}/bias`, [o.dims[0]], bias, o.affine && foldedBias(o.affine)));
  return { inputs, doc: o.affine && `${o.id} with ${foldedIn(o.affine)}` };
}
