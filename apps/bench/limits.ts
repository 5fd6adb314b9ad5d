/**
 * The bench's `limits` lines: what bounds a training step here. `peak`: the GFLOP/s of Trainyard's wasm
 * product (simd.wat's conv) on a product large enough that tfjs's per-call cost vanishes and whose second
 * operand stays in L1: the ceiling of its kernels' arithmetic on this CPU. `overhead`: a step of four images
 * against one of a full batch, which splits a step into a fixed cost (kernel dispatch, the gradient tape,
 * allocation: paid per kernel call, whatever the batch) and a cost per image. Four, not one: the kernels take
 * products and convolutions of at least four rows or pixels, and a step of one image would time the built-ins'
 * (XNNPACK sets up an operator per call) instead of the batch's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { size as shapeSize, type ModelSpec } from '../../libs/graph';
import { fusedMultiplyAdd } from '../../libs/kernels';
import { withDefaults, type ResolvedTraining } from '../../libs/pipeline-schema';
import { makeTrainStep } from '../../libs/train';
import { median } from './median';

/** Median ms per call of `f` over `repeats` rounds of `calls`, after `warmupMs` of calls. */
function msPerCall(f: () => void, calls: number, repeats: number, warmupMs: number): number {
  const warm = performance.now();
  while (performance.now() - warm < warmupMs) f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) f();
    times.push((performance.now() - start) / calls);
  }
  return median(times);
}

export function benchPeak(backend: string, repeats: number, warmupMs: number): void {
  // B (64 x 64) stays in L1 while A streams past: the arithmetic's ceiling, not the memory's.
  const [m, k, n] = [4096, 64, 64];
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  // The wasm backend runs a kernel when it is called: no read back needed.
  const ms = msPerCall(() => tf.matMul(a, b).dispose(), 10, repeats, warmupMs);
  const fma = backend === 'wasm' ? `, fused multiply-add ${fusedMultiplyAdd() ? 'on' : 'off'}` : '';
  console.log(`peak ${backend} matmul ${m}x${k}x${n} ${((2 * m * k * n) / ms / 1e6).toFixed(1)} GFLOP/s (${ms.toFixed(2)} ms a product${fma})`);
  tf.dispose([a, b]);
}

export function benchOverhead(name: string, spec: ModelSpec, batch: number, backend: string, repeats: number, warmupMs: number): void {
  const small = 4;
  const ms = [small, batch].map((size) => {
    const t = withDefaults('Training', { optimizer: 'adam', 'batch-size': size }) as ResolvedTraining;
    const stepper = makeTrainStep(spec, t, 10, 1);
    const images = Float32Array.from({ length: size * shapeSize(spec.input) }, (_, i) => Math.sin(i));
    const labels = Int32Array.from({ length: size }, (_, i) => i % 10);
    let step = 0;
    const result = msPerCall(() => void stepper.run(images, labels, step++), 20, repeats, warmupMs);
    stepper.dispose();
    return result;
  });
  const perImage = (ms[1] - ms[0]) / (batch - small);
  const fixed = ms[0] - small * perImage;
  console.log(
    `overhead ${name} ${backend} 1 thread: a step of ${small} images ${ms[0].toFixed(2)} ms, of ${batch} ${ms[1].toFixed(2)} ms: ${fixed.toFixed(2)} ms fixed, ${perImage.toFixed(3)} ms per image (${((100 * fixed) / ms[1]).toFixed(0)}% of the batch's step fixed)`,
  );
}
