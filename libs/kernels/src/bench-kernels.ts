// Micro benchmark of the conv gradient kernels on the wasm backend for the LeNet-5 shapes.
// Run: npx tsx libs/kernels/src/bench-kernels.ts [--rounds 8] [--inner 5]
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter';
import { builtinConv2DBackpropInput, conv2DBackpropInputViaConv, inputGradPlan } from './conv2d-backprop-input';
import { registerWasmKernels } from './register';
import type { RefCountedBackend } from './wasm-ops';

type Backend = RefCountedBackend & { readSync(dataId: object): ArrayLike<number> };

interface Layer {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
}

const layers: Layer[] = [
  { name: 'C1', x: [64, 32, 32, 1], filter: [5, 5, 1, 6] },
  { name: 'C3', x: [64, 14, 14, 6], filter: [5, 5, 6, 16] },
  { name: 'C5', x: [64, 5, 5, 16], filter: [5, 5, 16, 120] },
];

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

function fixed(ms: number): string {
  return ms.toFixed(2).padStart(8);
}

async function main(): Promise<void> {
  // Variants take turns in rounds of `inner` back-to-back calls, so slow drift (other load on
  // the machine) hits all of them alike while each still runs with its own data in cache.
  const rounds = argValue('--rounds', 8);
  const inner = argValue('--inner', 5);
  const warmup = 3;
  await tf.setBackend('wasm');
  await tf.ready();
  // Registered after the backend initialised, as an application that sets up tf first would.
  registerWasmKernels();
  const builtin = builtinConv2DBackpropInput();
  const conv2dKernel = tf.getKernel('Conv2D', 'wasm');
  if (builtin === undefined || conv2dKernel === undefined) throw new Error('wasm kernels missing');
  const backend = tf.backend() as unknown as Backend;

  console.log(
    `tfjs ${tf.version_core}, backend ${tf.getBackend()}, SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, ` +
      `threads ${getThreadsCount()}, node ${process.version}; median of ${rounds}x${inner} calls (ms)`,
  );
  console.log(
    'layer  x                 filter        | input: built-in     ours  speedup  (method)  | filter: ours  fwd conv  ratio',
  );

  const totals = { builtin: 0, ours: 0, filter: 0, forward: 0 };
  for (const layer of layers) {
    const info = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, 1, 1, 'valid');
    const x = tf.randomUniform(layer.x, -1, 1, 'float32', 1);
    const filter = tf.randomUniform(layer.filter, -1, 1, 'float32', 2);
    const dy = tf.randomUniform(info.outShape, -1, 1, 'float32', 3);
    const inputAttrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: layer.x } as const;
    const filterAttrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: layer.filter } as const;

    const runs: Record<keyof typeof totals, () => tf.TensorInfo | null> = {
      builtin: () => builtin.kernelFunc({ inputs: { dy, filter }, backend, attrs: inputAttrs }) as tf.TensorInfo,
      ours: () => conv2DBackpropInputViaConv({ inputs: { dy, filter }, backend, attrs: { ...inputAttrs } }),
      filter: () => conv2DBackpropFilterWasm({ inputs: { x, dy }, backend, attrs: { ...filterAttrs } }),
      forward: () =>
        conv2dKernel.kernelFunc({
          inputs: { x, filter },
          backend,
          attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
        }) as tf.TensorInfo,
    };
    // Guard against timing a wrong result: ours must agree with the built-in before it is timed.
    const reference = runs.builtin();
    const candidate = runs.ours();
    if (reference === null || candidate === null) throw new Error(`${layer.name}: no result`);
    const disagreement = relativeError(backend.readSync(candidate.dataId), backend.readSync(reference.dataId));
    backend.disposeData(reference.dataId);
    backend.disposeData(candidate.dataId);
    if (disagreement > 1e-4) throw new Error(`${layer.name}: results differ (relative error ${disagreement})`);

    const times: Record<keyof typeof totals, number[]> = { builtin: [], ours: [], filter: [], forward: [] };
    const keys = Object.keys(runs) as Array<keyof typeof totals>;
    const call = (key: keyof typeof totals): number => {
      const t0 = performance.now();
      const out = runs[key]();
      const ms = performance.now() - t0;
      if (out === null) throw new Error(`${layer.name}: ${key} did not take the forward-conv path`);
      backend.disposeData(out.dataId);
      return ms;
    };
    for (const key of keys) for (let i = 0; i < warmup; i++) call(key);
    for (let r = 0; r < rounds; r++) {
      for (const key of r % 2 === 0 ? keys : [...keys].reverse()) {
        for (let i = 0; i < inner; i++) times[key].push(call(key));
      }
    }
    const method = inputGradPlan({ ...inputAttrs }, dy.shape, filter.shape)?.method ?? 'built-in';
    const m = {
      builtin: median(times.builtin),
      ours: median(times.ours),
      filter: median(times.filter),
      forward: median(times.forward),
    };
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += m[key];
    console.log(
      `${layer.name.padEnd(6)} ${JSON.stringify(layer.x).padEnd(17)} ${JSON.stringify(layer.filter).padEnd(13)} |` +
        `        ${fixed(m.builtin)} ${fixed(m.ours)}  ${(m.builtin / m.ours).toFixed(2).padStart(6)}x  ${method.padEnd(9)} |` +
        `       ${fixed(m.filter)} ${fixed(m.forward)}  ${(m.filter / m.forward).toFixed(2).padStart(5)}`,
    );
    tf.dispose([x, filter, dy]);
  }
  console.log(
    `total                                    |        ${fixed(totals.builtin)} ${fixed(totals.ours)}  ` +
      `${(totals.builtin / totals.ours).toFixed(2).padStart(6)}x            |       ${fixed(totals.filter)} ${fixed(totals.forward)}  ` +
      `${(totals.filter / totals.forward).toFixed(2).padStart(5)}`,
  );
  console.log(
    'input speedup = built-in / ours; filter ratio = our Conv2DBackpropFilter / forward Conv2D of the same layer',
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
