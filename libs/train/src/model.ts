import * as tf from '@tensorflow/tfjs-core';
import { convOptions, describeModel, kernelMask, poolWindow, type ConvLayer, type DenseLayer, type ModelSpec, type ModelSummary, type ParamSpec, type PoolLayer } from '../../graph';
import type { Weights } from '../../artifacts';
import type { ConvStage, Stack, StackLayer } from '../../kernels';
import { tanhOf } from './layers/activation';
import { fusedLayer } from './layers/dense';
import { forwardLayer, type ForwardContext } from './layers/forward';

export interface TrainableModel {
  summary: ModelSummary;
  /** Every tensor the model holds, trainable parameters and state (batchnorm's moving statistics). */
  params: ParamSpec[];
  /** One variable per ParamSpec, by name; state variables are created non-trainable. */
  variables: Map<string, tf.Variable>;
  /** What an optimizer may update: the variables of trainable ParamSpecs, in ParamSpec order. */
  trainableVariables: tf.Variable[];
  /**
   * The model as a stack (stackGradients), where it is one: an MLP (a leading flatten, then dense layers each with a
   * bias and an activation the fused layer takes), or convolutions with a bias and a tanh, each followed by an
   * average pool or not (LeNet-5), then a flatten and such dense layers. For gradients taken without the tape;
   * undefined otherwise.
   */
  stack?: ModelStack;
  /**
   * Logits [N, classes] for a batch [N, H, W, C]. With `training`, layers with state (batchnorm) use the batch's
   * statistics and record their state's next values, which applyStateUpdates then applies.
   */
  forward(x: tf.Tensor, training: boolean, seed?: number): tf.Tensor2D;
  /**
   * Sets the state to the values the last training forward recorded and frees them; call once after each
   * optimizer step. Does nothing when nothing was recorded (no stateful layer, or no training forward since).
   */
  applyStateUpdates(): void;
  /** Every tensor by ParamSpec name, state included, so a model rebuilt from them infers the same. */
  weights(): Weights;
  /** Sets every tensor from `weights` (as weights() returned them): early stopping's restore. */
  assign(weights: Weights): void;
  dispose(): void;
}

/** A Stack whose tensors are the model's variables. */
export interface ModelStack extends Stack {
  convs: (ConvStage & { w: tf.Variable; bias: tf.Variable })[];
  dense: (StackLayer & { w: tf.Variable; bias: tf.Variable })[];
}

/** The model's layers as a stack, or undefined (see TrainableModel.stack). */
function stackOf(spec: ModelSpec, summary: ModelSummary, variables: Map<string, tf.Variable>, masks: Map<string, tf.Tensor>): ModelStack | undefined {
  const layers = summary.layers;
  const param = (name: string) => variables.get(name)!;
  const convs: ModelStack['convs'] = [];
  let i = 0;
  if (spec.input.length === 3) {
    for (; layers[i]?.layer.type === 'conv'; i++) {
      const { id, layer } = layers[i] as { id: string; layer: ConvLayer };
      const tanh = tanhOf(layer.activation);
      const { stride, padding, bias } = convOptions(layer);
      // A connection table's mask multiplies the kernel in the forward pass: not a stage.
      if (!tanh || !bias || masks.has(`${id}/kernel`)) return undefined;
      const stage: ModelStack['convs'][number] = { w: param(`${id}/kernel`), bias: param(`${id}/bias`), ...tanh, strides: stride, pad: padding };
      if (layers[i + 1]?.layer.type === 'avgpool') {
        const { size, stride: strides, padding: pad } = poolWindow(layers[++i].layer as PoolLayer);
        stage.pool = { filterSize: size, strides, pad };
      }
      convs.push(stage);
    }
    if (layers[i]?.layer.type !== 'flatten') return undefined;
    i++;
  }
  const rest = layers.slice(i);
  if (rest.length === 0 || rest.some((l) => l.layer.type !== 'dense')) return undefined;
  const dense = rest.map((l) => fusedLayer(l as { id: string; layer: DenseLayer }, param));
  if (!dense.every((l) => l !== undefined)) return undefined;
  const [c, h, w] = spec.input;
  return { image: spec.input.length === 3 ? [h, w, c] : undefined, convs, dense: dense as ModelStack['dense'] };
}

/** The ParamSpec's constant (biases and beta 0, gamma 1, subsample's coefficient 1/area, moving statistics), or Glorot-uniform for kernels as Keras starts them. */
function initialValue(p: ParamSpec, seed: number): tf.Tensor {
  if (p.initial !== undefined) return tf.fill(p.shape, p.initial);
  const limit = Math.sqrt(6 / (p.fanIn + p.fanOut));
  return tf.randomUniform(p.shape, -limit, limit, 'float32', seed);
}

/** The model's variables, initialised from `seed`, or set to `weights` when given (a trained model, a reference). */
export function buildModel(spec: ModelSpec, seed: number, weights?: Weights): TrainableModel {
  const summary = describeModel(spec);
  const params = summary.layers.flatMap((l) => l.params);
  const variables = new Map<string, tf.Variable>();
  const masks = new Map<string, tf.Tensor>();
  params.forEach((p, i) => {
    const given = weights?.[p.name];
    if (weights && !given) throw new Error(`weights: '${p.name}' is missing`);
    const mask = kernelMask(p);
    if (mask) masks.set(p.name, tf.tensor(mask, p.shape));
    const init = tf.tidy(() => {
      const value = given ? tf.tensor(given.data, p.shape) : initialValue(p, seed * 1000 + i);
      // Absent connections start at +0 too (not value * 0, which is -0 for negative values), so the stored kernel shows the table.
      return mask && !given ? tf.where(tf.cast(masks.get(p.name)!, 'bool'), value, tf.zerosLike(value)) : value;
    });
    variables.set(p.name, tf.variable(init, p.trainable, p.name));
    init.dispose();
  });
  const trainableVariables = params.filter((p) => p.trainable).map((p) => variables.get(p.name)!);

  // Next values of state tensors, kept out of the forward's tidy until applied (or replaced, or disposed).
  const pending = new Map<string, tf.Tensor>();
  const ctxBase: Omit<ForwardContext, 'training' | 'seed'> = {
    param: (name) => variables.get(name)!,
    mask: (name) => masks.get(name),
    update(name, value) {
      pending.get(name)?.dispose();
      pending.set(name, tf.keep(value));
    },
  };
  const [c, h, w] = spec.input.length === 3 ? spec.input : [1, 1, spec.input[0]];
  return {
    summary,
    params,
    variables,
    trainableVariables,
    stack: stackOf(spec, summary, variables, masks),
    forward(x, training, stepSeed = 0) {
      const ctx: ForwardContext = { ...ctxBase, training, seed: stepSeed };
      const layers = summary.layers;
      // x comes flattened (NHWC): a leading flatten's output already, and a dense input's too. Reshaping it to NHWC
      // and back costs four kernel calls a step (two forward, two backward).
      const flat = x.shape.length === 2 && x.shape[1] === h * w * c;
      const skip = flat && spec.input.length === 3 && layers[0]?.layer.type === 'flatten' ? 1 : 0;
      let y = flat && (skip === 1 || spec.input.length === 1) ? x : tf.reshape(x, spec.input.length === 3 ? [-1, h, w, c] : [-1, spec.input[0]]);
      for (let i = skip; i < layers.length; i++) {
        const [layer, next] = [layers[i], layers[i + 1]];
        if (layer.layer.type === 'activation' && layer.layer.activation === 'relu' && next?.layer.type === 'maxpool') {
          // A max commutes with ReLU, so the pool runs first and the ReLU and its gradient on the pooled values (a
          // quarter of them after a 2x2 pool): the same values and gradients, the gradient routed to the same maxima.
          y = forwardLayer(forwardLayer(y, next, i + 1, ctx), layer, i, ctx);
          i++;
        } else {
          y = forwardLayer(y, layer, i, ctx);
        }
      }
      return y as tf.Tensor2D;
    },
    applyStateUpdates() {
      for (const [name, value] of pending) {
        variables.get(name)!.assign(value);
        value.dispose();
      }
      pending.clear();
    },
    weights() {
      const out: Weights = {};
      // A copy: some backends hand out the live buffer of a tensor.
      for (const p of params) out[p.name] = { shape: p.shape, data: Float32Array.from(variables.get(p.name)!.dataSync() as Float32Array) };
      return out;
    },
    assign(weights) {
      tf.tidy(() => {
        for (const p of params) variables.get(p.name)!.assign(tf.tensor(weights[p.name].data, p.shape));
      });
    },
    dispose() {
      variables.forEach((v) => v.dispose());
      masks.forEach((m) => m.dispose());
      pending.forEach((t) => t.dispose());
      pending.clear();
    },
  };
}
