import * as tf from '@tensorflow/tfjs-core';
import { denseBias, type ActivationName, type DenseLayer } from '../../../graph';
import { dense as fusedDense, type DenseActivation, type StackLayer } from '../../../kernels';
import { activate, tanhOf } from './activation';
import type { LayerForward } from './forward';

/** The activations the fused layer takes (the tanhs, ReLU and none); others compose the layer. */
function fusable(name: ActivationName | undefined): DenseActivation | undefined {
  return name === undefined || name === 'linear' ? 'linear' : name === 'relu' ? 'relu' : tanhOf(name);
}

export const dense: LayerForward<DenseLayer> = (x, { id, layer }, _, ctx) => {
  const kernel = ctx.param(`${id}/kernel`);
  const bias = denseBias(layer) ? ctx.param(`${id}/bias`) : undefined;
  const activation = fusable(layer.activation);
  const fused = bias && activation && fusedDense(x, kernel, bias, activation);
  return fused || activate(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), layer.activation, bias);
};

/** The layer as a stack of dense layers takes it (denseStackGradients): undefined where it composes (no bias, another activation). */
export function stackLayer({ id, layer }: { id: string; layer: DenseLayer }, param: (name: string) => tf.Tensor): StackLayer | undefined {
  const activation = fusable(layer.activation);
  return denseBias(layer) && activation ? { w: param(`${id}/kernel`), bias: param(`${id}/bias`), activation } : undefined;
}
