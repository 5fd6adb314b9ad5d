/**
 * One truth about results: `results` shows only results of the configuration planned now, says when
 * report.html shows other ones, and a run made under overrides says so in run.json, the model card,
 * the report and `results`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { QUICK_SMALL_PIPELINE, workspaceWithRun } from './testing';

const EPOCHS = '{training: {epochs: 2}}';
let dir: string;

function cli(args: string[], overrides?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TRAINYARD_OVERRIDES;
  delete env.TRAINYARD_ARTIFACTS;
  if (overrides) env.TRAINYARD_OVERRIDES = overrides;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', ...args], { cwd: dir, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (path: string) => JSON.parse(readFileSync(join(dir, 'artifacts', 'small', path), 'utf8'));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trainyard-results-'));
  workspaceWithRun(dir, 'small', QUICK_SMALL_PIPELINE);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('results of the file as written: rows, no note; the report shows them', () => {
  const r = cli(['results', 'pipelines/small.yaml', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [row] = JSON.parse(r.stdout);
  assert.equal(row.epochs, 1);
  assert.equal(row.overrides, undefined);
  assert.equal(json('train/run.json').overrides, undefined);
  assert.equal(json('evaluate/model.json').overrides, undefined);
});

test('a run made under TRAINYARD_OVERRIDES says so in run.json, the model card and the report; results without them leaves it out', () => {
  const run = cli(['run', 'pipelines/small.yaml'], EPOCHS);
  assert.equal(run.status, 0, run.stderr);
  const made = { values: { training: { epochs: 2 } } };
  assert.deepEqual(json('train/run.json').overrides, made);
  assert.deepEqual(json('evaluate/model.json').overrides, made);
  assert.deepEqual(json('charts/stage.json').overrides, made);
  assert.match(readFileSync(join(dir, 'artifacts/small/charts/report.md'), 'utf8'), /TRAINYARD_OVERRIDES `\{"training":\{"epochs":2\}\}` was merged over every run/);

  const reduced = cli(['results', 'pipelines/small.yaml', '--json'], EPOCHS);
  assert.equal(reduced.status, 0, reduced.stderr);
  assert.equal(JSON.parse(reduced.stdout)[0].epochs, 2);
  assert.deepEqual(JSON.parse(reduced.stdout)[0].overrides, made);
  assert.match(reduced.stderr, /^pipelines\/small\.yaml: reduced runs, made under TRAINYARD_OVERRIDES \{"training":\{"epochs":2\}\}: not the figures of the file as written\n$/);

  const written = cli(['results', 'pipelines/small.yaml']);
  assert.equal(written.status, 1);
  assert.equal(written.stdout, '', 'no figures of another configuration');
  assert.match(written.stderr, /left out 1 run of 1 \(default\): artifacts\/small holds results made under TRAINYARD_OVERRIDES \{"training":\{"epochs":2\}\}, but the file as written is planned now; npx nx run pipeline:small brings/);
});

test('results newer than the report: results says report.html does not show them', () => {
  const run = cli(['run', 'pipelines/small.yaml']);
  assert.equal(run.status, 0, run.stderr);
  writeFileSync(join(dir, 'pipelines/small.yaml'), QUICK_SMALL_PIPELINE.replace('learning-rate: 0.002', 'learning-rate: 0.003'));
  // What Nx runs for a sweep's runs (as shard and diff --run do): every stage up to evaluate, not the charts.
  for (const stage of ['train', 'export', 'evaluate']) {
    const r = cli(['stage', 'pipelines/small.yaml', stage]);
    assert.equal(r.status, 0, r.stderr);
    if (stage === 'train') assert.match(r.stdout, /, batch 64, 1 epoch, seed 1\n/, 'one epoch, not "1 epochs"');
  }
  const r = cli(['results', 'pipelines/small.yaml', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).length, 1);
  assert.match(r.stderr, /^pipelines\/small\.yaml: artifacts\/small\/charts\/report\.html does not show these results \(it was made from another version of the file, backend or thread count\): npx nx run pipeline:small redraws it\n$/);
  assert.equal(cli(['stage', 'pipelines/small.yaml', 'charts']).status, 0);
  assert.equal(cli(['results', 'pipelines/small.yaml']).stderr, '', 'the report redrawn: nothing to say');
});
