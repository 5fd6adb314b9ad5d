import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const repo = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'trainyard-cli-shared-'));

function cli(overrides: string | undefined, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, TRAINYARD_ARTIFACTS: join(dir, 'artifacts') };
  delete env.TRAINYARD_OVERRIDES;
  if (overrides !== undefined) env.TRAINYARD_OVERRIDES = overrides;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', ...args], { cwd: repo, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const key = (overrides: string | undefined, file: string, stage: string) => cli(overrides, 'key', file, stage).stdout.trim();

test('TRAINYARD_OVERRIDES changes the fingerprints of the stages whose slice it changes', () => {
  const file = join(dir, 'lenet.yaml');
  writeFileSync(file, readFileSync(join(repo, 'pipelines', 'lenet-l2.yaml'), 'utf8'));
  const epochs = '{training: {epochs: 1}}';
  const limit = '{dataset: {limit: {train: 2000, test: 500}}}';
  assert.notEqual(key(epochs, file, 'train'), key(undefined, file, 'train'));
  assert.equal(key(epochs, file, 'data'), key(undefined, file, 'data'));
  assert.notEqual(key(limit, file, 'data'), key(undefined, file, 'data'));
  assert.match(cli(epochs, 'check', file).stdout, /: ok \(pipeline lenet, 1 run, with TRAINYARD_OVERRIDES\)\n$/);
});

test('a bad TRAINYARD_OVERRIDES is one line, exit 1, for every command', () => {
  for (const args of [['check', 'pipelines/lenet-l2.yaml'], ['key', 'pipelines/lenet-l2.yaml', 'train'], ['stage', 'pipelines/lenet-l2.yaml', 'data']]) {
    const r = cli('{training: {epochs: 0}}', ...args);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, 'TRAINYARD_OVERRIDES: training -> epochs: must be >= 1 (got 0)\n');
  }
});

test('check reads the file as written, then with TRAINYARD_OVERRIDES, and says which an error comes from', () => {
  const file = join(dir, 'five.yaml');
  writeFileSync(file, readFileSync(join(repo, 'pipelines', 'lenet-l2.yaml'), 'utf8').replace('epochs: 10', 'epochs: five'));
  const r = cli('{training: {epochs: 1}}', 'check', file);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^\S*five\.yaml:\d+:\d+ training -> epochs: must be an integer \(got "five"\) \(in the file as written; TRAINYARD_OVERRIDES hides it\)\n$/);
  // The same file through every other command: no stage runs on a file that is wrong as written.
  assert.equal(cli('{training: {epochs: 1}}', 'key', file, 'train').status, 1);
});

test('check says how many runs a file makes', () => {
  assert.match(cli(undefined, 'check', 'pipelines/lenet-batch-lr-sweep.yaml').stdout, /^pipelines\/lenet-batch-lr-sweep\.yaml: ok \(pipeline lenet-batch-lr-sweep, 9 runs\)\n$/);
  assert.match(cli(undefined, 'check', 'pipelines/lenet-l2.yaml', '--profile', 'quick').stdout, /: ok \(pipeline lenet-l2, 1 run, profile quick\)\n$/);
});

test('editing a file a pipeline extends changes the fingerprints of the stages that read it', () => {
  mkdirSync(join(dir, 'pipelines', 'shared'), { recursive: true });
  const data = join(dir, 'pipelines', 'shared', 'data.yaml');
  const model = join(dir, 'pipelines', 'shared', 'model.yaml');
  const file = join(dir, 'pipelines', 'small.yaml');
  writeFileSync(data, 'dataset: { source: mnist }\n');
  writeFileSync(model, 'model:\n  input: [1, 28, 28]\n  layers: [ { type: flatten }, { type: dense, units: 10 } ]\n');
  writeFileSync(file, 'extends: [shared/data.yaml, shared/model.yaml]\ntraining: { epochs: 1 }\n');
  const before = { data: key(undefined, file, 'data'), train: key(undefined, file, 'train') };
  writeFileSync(model, 'model:\n  input: [1, 28, 28]\n  layers: [ { type: flatten }, { type: dense, units: 10, activation: relu } ]\n');
  assert.equal(key(undefined, file, 'data'), before.data);
  assert.notEqual(key(undefined, file, 'train'), before.train);
  writeFileSync(data, 'dataset: { source: mnist, validation: 0.2 }\n');
  assert.notEqual(key(undefined, file, 'data'), before.data);

  writeFileSync(model, 'model:\n  input: [1, 28, 28]\n  layers: [ { type: flatten }, { type: dense, units: 0 } ]\n');
  const r = cli(undefined, 'check', file);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `${model}:3:54 model -> layers -> 1 -> units: must be >= 1 (got 0)\n`);
});
