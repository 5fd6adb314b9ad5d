/** Throwaway copies of the workspace for tests that run Nx, as a fresh clone has it. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export const repo = join(__dirname, '..', '..');

/** Copies the tracked and new files (without `pipelines/` unless asked) into `dir`, sharing node_modules. */
export function copyWorkspace(dir: string, opts: { pipelines: boolean }): string {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(join(repo, f)) && (opts.pipelines || !f.startsWith('pipelines/')));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(repo, f), join(dir, f));
  }
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'pipelines'), { recursive: true });
  return dir;
}

const NX = join(repo, 'node_modules', '.bin', 'nx');

/** The environment Nx runs with in tests, as CI has it (no daemon, no cloud, plain output); `env` is added to a cleaned one. */
function nxEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const full: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TASKS_RUNNER_DYNAMIC_OUTPUT: 'false', CI: 'true' };
  for (const name of ['TRAINYARD_ARTIFACTS', 'TRAINYARD_OVERRIDES', 'NX_CACHE_DIRECTORY', 'NX_WORKSPACE_DATA_DIRECTORY', 'NX_SELF_HOSTED_REMOTE_CACHE_SERVER', 'NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN']) {
    delete full[name];
  }
  return { ...full, ...env };
}

/**
 * The command line that runs Nx, as another machine when `machineId` is given: Nx names its local cache
 * database after /etc/machine-id, and every CI runner has its own, so a test of "another machine" must
 * show Nx another id. That takes a mount namespace of our own (root; `canFakeMachineId`).
 */
function asMachine(bin: string, args: string[], machineId?: string): [string, string[]] {
  if (!machineId) return [bin, args];
  const file = join(mkdtempSync(join(tmpdir(), 'trainyard-machine-')), 'machine-id');
  writeFileSync(file, `${machineId}\n`);
  const script = 'for f in /etc/machine-id /var/lib/dbus/machine-id; do [ -e "$f" ] && mount --bind "$0" "$f"; done; exec "$@"';
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, file, bin, ...args]];
}

/** Whether this process may show Nx another machine id (root, with unshare and mount). */
export const canFakeMachineId = (() => {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind /etc/hostname /etc/machine-id'], { encoding: 'utf8' });
  return r.status === 0;
})();

export interface NxOptions {
  env?: NodeJS.ProcessEnv;
  /** Runs Nx as a machine with this /etc/machine-id (32 hex digits). */
  machineId?: string;
}

/** Runs Nx in `cwd` as CI does; waits for it. */
export function nx(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, opts: Omit<NxOptions, 'env'> = {}): { status: number | null; output: string } {
  const [cmd, argv] = asMachine(NX, args, opts.machineId);
  const r = spawnSync(cmd, argv, { cwd, env: nxEnv(env), encoding: 'utf8' });
  return { status: r.status, output: stripVTControlCharacters(`${r.stdout}\n${r.stderr}`) };
}

/** Runs a command that runs Nx (Nx itself by default) in `cwd` as CI does, alongside other work: resolves when it ends. */
export function nxAsync(cwd: string, args: string[], opts: NxOptions & { bin?: string } = {}): Promise<{ status: number | null; output: string }> {
  const [cmd, argv] = asMachine(opts.bin ?? NX, args, opts.machineId);
  const child = spawn(cmd, argv, { cwd, env: nxEnv(opts.env ?? {}) });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((done) => child.on('close', (status) => done({ status, output: stripVTControlCharacters(output) })));
}

/** A small pipeline through every stage: a few seconds of training. */
export const SMALL_PIPELINE = `# yaml-language-server: $schema=../libs/pipeline-schema/pipeline.schema.json
description: end-to-end check
dataset:
  source: mnist
  limit: { train: 3000, test: 500 }
  transforms:
    - { type: pad, to: 32 }
    - { type: normalize, mean: 0.1307, std: 0.3081 }
model:
  input: [1, 32, 32]
  layers:
    - { id: C1, type: conv, filters: 6, kernel: 5, activation: tanh }
    - { id: S2, type: avgpool }
    - { id: C3, type: conv, filters: 16, kernel: 5, activation: tanh }
    - { id: S4, type: maxpool }
    - { type: flatten }
    - { id: F6, type: dense, units: 32, activation: relu }
    - { type: dropout, rate: 0.1 }
    - { id: OUT, type: dense, units: 10 }
training:
  learning-rate: 0.002
  l2: 0.0001
  epochs: 1
  batch-size: 64
evaluate:
  probe-size: 16
charts:
  include: [loss, accuracy, confusion, misclassified]
`;

/** SMALL_PIPELINE at the quick profile's sizes, with one chart: a model in seconds. */
export const QUICK_SMALL_PIPELINE = SMALL_PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 1000, test: 300 }').replace(/include: \[.*\]/, 'include: [loss]');

/** A copy of the workspace with `pipelines/<name>.yaml` run through every stage by the CLI (no Nx): for tests of what the stages leave. */
export function workspaceWithRun(dir: string, name: string, pipeline: string, prepare?: (dir: string) => void): string {
  copyWorkspace(dir, { pipelines: false });
  writeFileSync(join(dir, 'pipelines', `${name}.yaml`), pipeline);
  prepare?.(dir);
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'run', `pipelines/${name}.yaml`], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`trainyard run pipelines/${name}.yaml failed:\n${run.stdout}${run.stderr}`);
  return dir;
}

/** Which stage tasks of `pipeline` Nx ran and which it took from a cache (local or remote), each sorted. */
export function stagesRun(output: string, pipeline: string): { ran: string[]; cached: string[] } {
  const ran: string[] = [];
  const cached: string[] = [];
  for (const m of output.matchAll(new RegExp(`^> nx run ${pipeline}\\.([\\w-]+):\\w+(.*)$`, 'gm'))) (/cache/.test(m[2]) ? cached : ran).push(m[1]);
  return { ran: ran.sort(), cached: cached.sort() };
}

export interface Predictions {
  predicted: number[];
  logits: number[][];
}

/** A small pipeline's evaluated model, and what onnxruntime-node makes of the first `count` MNIST test images: the reference for tests of other runtimes. */
export interface ModelFixture {
  /** The workspace copy the pipeline ran in. */
  dir: string;
  /** artifacts/small/evaluate/model.onnx, beside its model.json. */
  model: string;
  /** MNIST's test images file, as the dataset's files store them. */
  testFile: string;
  /** The first `count` test images as the data stage prepares them: NCHW float32 (one channel). */
  prepared: Float32Array;
  expected: Predictions;
  predict(images: Float32Array): Promise<Predictions>;
}

/** Logits of another runtime against onnxruntime-node's, image by image, each within `tolerance`. */
export function assertLogitsClose(actual: number[][], wanted: number[][], tolerance: number): void {
  assert.equal(actual.length, wanted.length);
  actual.forEach((row, i) => {
    assert.equal(row.length, wanted[i].length);
    row.forEach((v, k) => assert.ok(Math.abs(v - wanted[i][k]) <= tolerance, `image ${i}, class ${k}: ${v} against onnxruntime-node's ${wanted[i][k]}`));
  });
}

export async function modelFixture(root: string, count: number): Promise<ModelFixture> {
  // Required here: most tests that use this module run Nx, and need neither onnxruntime nor the data lib.
  const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
  const { loadDataset } = require('../../libs/data') as typeof import('../../libs/data');
  const { locateSource } = require('../../libs/data/testing') as typeof import('../../libs/data/testing');
  const { loadPipeline } = require('../../libs/pipeline-file') as typeof import('../../libs/pipeline-file');
  const dir = workspaceWithRun(join(root, 'ws'), 'small', QUICK_SMALL_PIPELINE);
  const model = join(dir, 'artifacts', 'small', 'evaluate', 'model.onnx');
  const testFile = locateSource({ source: 'mnist' }, { workspace: dir }).files['test-images'];
  const loaded = await loadDataset(loadPipeline(join(dir, 'pipelines', 'small.yaml')).config.dataset, { workspace: dir });
  const pixels = loaded.imageShape.reduce((a, b) => a * b, 1);
  const predict = async (images: Float32Array): Promise<Predictions> => {
    const n = images.length / pixels;
    const session = await ort.InferenceSession.create(model);
    const out = (await session.run({ input: new ort.Tensor('float32', images, [n, ...loaded.imageShape]) })).logits.data as Float32Array;
    await session.release();
    const classes = out.length / n;
    const logits = Array.from({ length: n }, (_, i) => Array.from(out.subarray(i * classes, (i + 1) * classes)));
    return { predicted: logits.map((row) => row.indexOf(Math.max(...row))), logits };
  };
  const prepared = loaded.test.images.slice(0, count * pixels);
  return { dir, model, testFile, prepared, expected: await predict(prepared), predict };
}

/** The stages of a one-run pipeline without a features stage, as the image-source tests plan it. */
export const IMAGE_STAGES = ['charts', 'data', 'evaluate', 'export', 'train'];

/** A small one-run pipeline of a given dataset block (indented two spaces) and model input: the image-source tests'. */
export const imagePipeline = (dataset: string, input: string) => `dataset:
${dataset}
model:
  input: ${input}
  layers:
    - { id: C1, type: conv, filters: 4, kernel: 5, activation: relu }
    - { id: S2, type: maxpool }
    - { type: flatten }
    - { id: OUT, type: dense, units: 2 }
training:
  epochs: 1
  batch-size: 16
evaluate:
  probe-size: 8
charts:
  include: [loss]
`;
