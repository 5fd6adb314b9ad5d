import * as tf from '@tensorflow/tfjs-core';
import { denseBias, type ActivationName, type DenseLayer } from '../../../graph';
import { dense as fusedDense, type DenseActivation, type StackLayer } from '../../../kernels';
import { activate, tanhOf } from './activation';
import type { LayerForward } from './forward';

/** The activations the fused layer takes (the tanhs, ReLU and none); others compose the layer. */
function fusable(name: ActivationName | undefined): DenseActivation | undefined {
  return name === undefined || name === 'linear' ? 'linear' : name === 'relu' ? 'relu' : tanhOf(name);
}

/**
 * The layer as the fused kernel takes it, for its forward pass and for a stack (stackGradients):
 * undefined where it composes (no bias, another activation).
 */
export function fusedLayer({ id, layer }: { id: string; layer: DenseLayer }, param: (name: string) => tf.Tensor): StackLayer | undefined {
  const activation = fusable(layer.activation);
  return denseBias(layer) && activation ? { w: param(`${id}/kernel`), bias: param(`${id}/bias`), activation } : undefined;
}

export const dense: LayerForward<DenseLayer> = (x, resolved, _, ctx) => {
  const { id, layer } = resolved;
  const fusedForm = fusedLayer(resolved, ctx.param);
  const fused = fusedForm && fusedDense(x, fusedForm.w, fusedForm.bias, fusedForm.activation);
  if (fused) return fused;
  const bias = denseBias(layer) ? ctx.param(`${id}/bias`) : undefined;
  return activate(tf.matMul(x as tf.Tensor2D, ctx.param(`${id}/kernel`) as tf.Tensor2D), layer.activation, bias);
};
