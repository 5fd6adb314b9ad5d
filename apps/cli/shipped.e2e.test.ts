/**
 * Every pipeline shipped in pipelines/, through Nx, in the quick profile (`--configuration=quick`: a
 * thousand images and one epoch): the files as users run them, with every run exported, evaluated and reported.
 */
import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkModelCard, type Metrics, type ModelCard, type RunInfo } from '../../libs/artifacts';
import { CARD_KEY } from '../../libs/onnx';
import { channelsFirst, loadDataset } from '../../libs/data';
import { size } from '../../libs/graph';
import { decode, maxAbsDiff, openCvSkip, openCvVersion, runInOpenCv, type OpenCvJob } from '../../libs/onnx/testing';
import { loadPipeline } from '../../libs/pipeline-file';
import { copyWorkspace, nx, repo } from './testing';

const names = readdirSync(join(repo, 'pipelines'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => basename(f, '.yaml'))
  .sort();

let root: string;
let dir: string;
let output = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-shipped-'));
  dir = copyWorkspace(join(root, 'ws'), { pipelines: true });
  const r = nx(dir, ['run-many', '-p', 'pipeline', '-t', names.join(','), '--configuration=quick', '--parallel=2', '--output-style=static']);
  output = r.output;
  assert.equal(r.status, 0, output.slice(-4000));
});

after(() => rmSync(root, { recursive: true, force: true }));

test('the shipped pipelines are the ones README reports', () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  for (const name of names) assert.ok(readme.includes(`pipelines/${name}.yaml`), `README does not mention pipelines/${name}.yaml`);
});

for (const name of names) {
  test(`${name}: every run trained, exported, evaluated within parity, and reported as a quick run`, () => {
    const pipeline = loadPipeline(join(repo, 'pipelines', `${name}.yaml`));
    const many = pipeline.runs.length > 1;
    const a = join(dir, 'artifacts', name);
    for (const run of pipeline.runs) {
      const suffix = many ? `-${run.id}` : '';
      const info = JSON.parse(readFileSync(join(a, `train${suffix}`, 'run.json'), 'utf8')) as RunInfo;
      assert.equal(info.epochsRun, 1, `${name} ${run.id}: the quick profile's single epoch`);
      if (run.matched) assert.deepEqual(info.matched, run.matched);
      if (many) assert.deepEqual([info.label, info.values], [run.label, run.values], `${name} ${run.id}: run.json names the run`);
      assert.ok(existsSync(join(a, `export${suffix}`, 'model.onnx')));
      const metrics = JSON.parse(readFileSync(join(a, `evaluate${suffix}`, 'metrics.json'), 'utf8')) as Metrics;
      assert.equal(metrics.samples, 300);
      assert.ok(metrics.parity.ok, `${name} ${run.id}: parity ${JSON.stringify(metrics.parity)}`);
      // The model card beside the evaluated file, and the same JSON inside it.
      const card = JSON.parse(readFileSync(join(a, `evaluate${suffix}`, 'model.json'), 'utf8')) as ModelCard;
      checkModelCard(card);
      assert.deepEqual([card.pipeline, card.run, card.model.parameters, card.metrics.test.accuracy], [name, run.id, info.paramCount, metrics.accuracy]);
      const inside = decode(readFileSync(join(a, `evaluate${suffix}`, 'model.onnx'))).model.metadataProps.find((p) => p.key === CARD_KEY);
      assert.deepEqual(JSON.parse(inside?.value ?? 'null'), card, `${name} ${run.id}: the ONNX metadata carries model.json`);
    }
    const report = readFileSync(join(a, 'charts', 'report.md'), 'utf8');
    assert.match(report, /^> Quick run: profile `quick` .* Run it without `--configuration=quick` for those\.$/m);
    if (many) for (const run of pipeline.runs) assert.ok(report.includes(run.label), `${name}: report lacks run ${run.label}`);
    for (const kind of pipeline.config.charts.include) {
      assert.ok(readdirSync(join(a, 'charts')).some((f) => f.startsWith(kind) && f.endsWith('.svg')), `${name}: no ${kind} chart`);
    }
  });
}

test('every shipped model loads in OpenCV\'s DNN module and gives onnxruntime-node\'s class and logits (within 1e-4) on the first 200 test images', { skip: openCvSkip }, async (t) => {
  t.diagnostic(`OpenCV ${openCvVersion}`);
  const jobs: (OpenCvJob & { what: string; expected: Float32Array })[] = [];
  for (const name of names) {
    const pipeline = loadPipeline(join(repo, 'pipelines', `${name}.yaml`), undefined, 'quick');
    const many = pipeline.runs.length > 1;
    const data = new Map<string, { images: Float32Array; dims: number[] }>();
    for (const run of pipeline.runs) {
      const key = JSON.stringify(run.config.dataset);
      if (!data.has(key)) {
        const loaded = await loadDataset(run.config.dataset, { workspace: dir });
        const count = Math.min(200, loaded.test.count);
        const images = channelsFirst(loaded.test.images, loaded.test.count, loaded.imageShape).subarray(0, count * size(loaded.imageShape));
        data.set(key, { images, dims: [count, ...loaded.imageShape] });
      }
      const { images, dims } = data.get(key)!;
      const bytes = readFileSync(join(dir, 'artifacts', name, `evaluate${many ? `-${run.id}` : ''}`, 'model.onnx'));
      const session = await ort.InferenceSession.create(bytes);
      const expected = ((await session.run({ input: new ort.Tensor('float32', images, dims) })).logits as ort.Tensor).data as Float32Array;
      await session.release();
      jobs.push({ what: `${name} ${run.id}`, bytes, images, dims, expected });
    }
  }
  const argmax = (logits: Float32Array, classes: number) =>
    Array.from({ length: logits.length / classes }, (_, i) => logits.subarray(i * classes, (i + 1) * classes).reduce((best, v, j, row) => (v > row[best] ? j : best), 0));
  const failures = runInOpenCv(jobs).flatMap((got, i) => {
    const { what, expected, dims } = jobs[i];
    if (typeof got === 'string') return [`${what}: OpenCV refused it: ${got}`];
    const classes = expected.length / dims[0];
    const diff = maxAbsDiff(got, expected);
    const same = argmax(got, classes).every((c, j) => c === argmax(expected, classes)[j]);
    return diff <= 1e-4 && same ? [] : [`${what}: max |OpenCV - onnxruntime| ${diff}, top-1 ${same ? 'equal' : 'differs'}`];
  });
  assert.ok(jobs.length >= names.length);
  assert.deepEqual(failures, []);
});

test('results: every run of a sweep, best test accuracy first, as JSON, CSV, Markdown and text', () => {
  const name = 'lenet-batch-lr-sweep';
  const pipeline = loadPipeline(join(repo, 'pipelines', `${name}.yaml`));
  // The quick profile's results: those are the ones in artifacts/, and results shows no other configuration's.
  const results = (...format: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'results', `pipelines/${name}.yaml`, '--profile', 'quick', ...format], { cwd: dir, encoding: 'utf8' });
  const json = results('--json');
  assert.equal(json.status, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { run: string; values: Record<string, unknown>; testAccuracy: number }[];
  assert.deepEqual(rows.map((r) => r.run).sort(), pipeline.runs.map((r) => r.id).sort());
  for (const r of rows) assert.deepEqual(r.values, pipeline.runs.find((p) => p.id === r.run)!.values);
  const accuracies = rows.map((r) => r.testAccuracy);
  assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a), 'best first');
  const csv = results('--csv').stdout.trim().split('\n');
  assert.equal(csv[0], 'run,batch-size,learning-rate,model,parameters,epochs,status,val_accuracy,test_accuracy,test_loss,parity,seconds');
  assert.equal(csv.length, rows.length + 1);
  assert.match(results('--md').stdout, /^\| Run \| batch-size \| learning-rate \| Model \|/);
  assert.match(results().stdout, /^Run\s+batch-size\s+learning-rate\s+Model\s+Parameters/);
  assert.equal(results('--csv', '--md').status, 2, 'one format at a time');
});

test('results of a pipeline that has not run: one line saying so, exit 1', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'results', 'pipelines/lenet-l2.yaml'], { cwd: repo, encoding: 'utf8', env: { ...process.env, TRAINYARD_ARTIFACTS: join(root, 'none') } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^pipelines\/lenet-l2\.yaml: no results yet for 1 of 1 run \(default\): npx nx run pipeline:lenet-l2\n$/);
});
