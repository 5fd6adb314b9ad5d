/**
 * A small pipeline through every stage via Nx, in throwaway copies of the workspace, checking what
 * the cache promises: replay, a change re-runs exactly the stages that read it, and a second clone on
 * the same machine given the first one's `.nx` folder replays everything.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { copyWorkspace, nx, SMALL_PIPELINE as PIPELINE, stagesRun } from './testing';

const STAGES = ['data', 'train', 'export', 'evaluate', 'charts'];


let root: string;

function workspaceCopy(name: string): string {
  const dir = copyWorkspace(join(root, name), { pipelines: false });
  writeFileSync(join(dir, 'pipelines', 'e2e.yaml'), PIPELINE);
  return dir;
}

/** Runs a pipeline through Nx and returns which stages executed and which came from the cache. */
function nxRun(cwd: string, pipeline = 'e2e'): { ran: string[]; cached: string[]; output: string } {
  // No --output-style: the workspace's .env makes every task's output show, as in a CI log.
  const { status, output } = nx(cwd, ['run', `pipeline:${pipeline}`]);
  assert.equal(status, 0, output);
  return { ...stagesRun(output, pipeline), output };
}

function edit(cwd: string, from: string, to: string, pipeline = 'e2e'): void {
  const file = join(cwd, 'pipelines', `${pipeline}.yaml`);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `e2e.yaml has no '${from}'`);
  writeFileSync(file, text.replace(from, to));
}

let first: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-e2e-'));
  first = workspaceCopy('first');
});

after(() => rmSync(root, { recursive: true, force: true }));

const sorted = (xs: string[]) => [...xs].sort();

test('first run executes every stage and writes every artifact', () => {
  const { ran, output } = nxRun(first);
  assert.deepEqual(ran, sorted(STAGES), output);
  assert.match(output, /^epoch 1\/1 lr .* samples\/s$/m, "training's epoch line is in the log");
  const a = join(first, 'artifacts', 'e2e');
  for (const f of ['data/manifest.json', 'train/history.json', 'train/run.json', 'train/weights.bin', 'export/model.onnx', 'evaluate/metrics.json', 'charts/loss.png', 'charts/accuracy.svg', 'charts/confusion.png', 'charts/report.md', 'charts/report.html', 'charts/vendor/vega-embed.min.js', 'evaluate/misclassified.json', 'charts/misclassified.png']) {
    assert.ok(existsSync(join(a, f)), `missing artifacts/e2e/${f}`);
  }
  const metrics = JSON.parse(readFileSync(join(a, 'evaluate/metrics.json'), 'utf8'));
  assert.equal(metrics.samples, 500);
  assert.ok(metrics.accuracy > 0.5, `accuracy ${metrics.accuracy} after one epoch on 2,700 images`);
  assert.ok(metrics.parity.ok);
  const run = JSON.parse(readFileSync(join(a, 'train/run.json'), 'utf8'));
  assert.match(run.backend, /^(wasm|tensorflow|cpu)$/);
  // The configuration it trained with, defaults filled in.
  assert.equal(run.config.training['learning-rate'], 0.002);
  assert.equal(run.config.training.optimizer, 'adam');
  assert.deepEqual(run.config.dataset.limit, { train: 3000, test: 500 });
  assert.equal(run.config.model.layers.length, 8);
});

test('second run: every stage is a cache hit', () => {
  const { ran, cached } = nxRun(first);
  assert.deepEqual(ran, []);
  assert.deepEqual(cached, sorted(STAGES));
});

test('a comment and reformatting: every stage is a cache hit', () => {
  edit(
    first,
    'training:\n  learning-rate: 0.002\n  l2: 0.0001\n  epochs: 1\n  batch-size: 64\n',
    '# the same settings, reordered and in flow style\ntraining: { batch-size: 64, epochs: 1, l2: 1.0e-4, learning-rate: 2.0e-3, optimizer: adam }\n',
  );
  const { ran } = nxRun(first);
  assert.deepEqual(ran, []);
});

test('only the charts section changed: only charts runs', () => {
  edit(first, 'include: [loss, accuracy, confusion, misclassified]', 'include: [loss, confusion, misclassified]');
  const { ran } = nxRun(first);
  assert.deepEqual(ran, ['charts']);
  assert.ok(!existsSync(join(first, 'artifacts/e2e/charts/accuracy.png')), 'charts removed from the config are removed from the artifacts');
});

test('only the learning rate changed: data is a cache hit, the rest runs', () => {
  edit(first, 'learning-rate: 2.0e-3', 'learning-rate: 0.001');
  const { ran, cached } = nxRun(first);
  assert.deepEqual(ran, sorted(['train', 'export', 'evaluate', 'charts']));
  assert.deepEqual(cached, ['data']);
});

test('adding another pipeline file leaves this one all cache hits', () => {
  writeFileSync(join(first, 'pipelines', 'another.yaml'), PIPELINE.replace('epochs: 1', 'epochs: 2'));
  const { ran } = nxRun(first);
  assert.deepEqual(ran, []);
});

test("on the same machine, a second clone given the first one's .nx folder replays every stage", () => {
  const second = workspaceCopy('second');
  // Nx looks cache entries up in .nx/workspace-data, in a database named after this machine's id, so
  // this holds on one machine only; across machines the remote cache does it (remote-cache.e2e.test.ts).
  cpSync(join(first, '.nx'), join(second, '.nx'), { recursive: true });
  edit(second, 'learning-rate: 0.002', 'learning-rate: 0.001');
  edit(second, 'include: [loss, accuracy, confusion, misclassified]', 'include: [loss, confusion, misclassified]');
  const { ran, cached } = nxRun(second);
  assert.deepEqual(ran, []);
  assert.deepEqual(cached, sorted(STAGES));
  assert.deepEqual(readFileSync(join(second, 'artifacts/e2e/export/model.onnx')), readFileSync(join(first, 'artifacts/e2e/export/model.onnx')));
});

test('a sweep: each run is its own task; editing one value re-runs that run and the charts only', () => {
  const sweep = PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 600, test: 200 }') + 'matrix:\n  training.learning-rate: [0.01, 0.001]\n';
  writeFileSync(join(first, 'pipelines', 'sweep.yaml'), sweep);
  const all = ['charts', 'data', ...['m0', 'm1'].flatMap((m) => [`evaluate-${m}`, `export-${m}`, `train-${m}`])].sort();
  assert.deepEqual(nxRun(first, 'sweep').ran, all);
  edit(first, '[0.01, 0.001]', '[0.02, 0.001]', 'sweep');
  const { ran, cached } = nxRun(first, 'sweep');
  assert.deepEqual(ran, ['charts', 'evaluate-m0', 'export-m0', 'train-m0']);
  assert.deepEqual(cached, ['data', 'evaluate-m1', 'export-m1', 'train-m1']);
});
