import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { syntheticParts, writeIdxDataset } from '../../libs/data/testing';

const repo = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'trainyard-cli-'));
const artifacts = join(dir, 'artifacts');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, TRAINYARD_ARTIFACTS: artifacts },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function pipeline(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const lenet = readFileSync(join(repo, 'pipelines', 'lenet-l2.yaml'), 'utf8');

test('an invalid file: one located line per problem on stderr, exit 1, no stack trace, nothing written', () => {
  const file = pipeline('broken', lenet.replace('learning-rate: 0.001', 'learning-rate: -0.001').replace('epochs: 10', 'epoch: 10'));
  for (const args of [['check', file], ['stage', file, 'data'], ['run', file]]) {
    const r = cli(...args);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/^.*broken\.yaml:/, 'broken.yaml:')), [
      'broken.yaml:27:18 training -> learning-rate: must be > 0 (got -0.001)',
      "broken.yaml:30:3 training -> epoch: unknown key 'epoch' (did you mean 'epochs'?)",
    ]);
    assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), 'no stack trace');
  }
  assert.ok(!existsSync(join(artifacts, 'broken')));
});

test('a stage that fails on its input: one line, exit 1, and no folder for it', () => {
  const file = pipeline('no-data', lenet.replace('source: mnist', `source: idx\n  path: ${join(dir, 'missing')}`));
  const r = cli('stage', file, 'data');
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /missing/);
  assert.ok(!existsSync(join(artifacts, 'no-data')), 'not even the pipeline folder the stage made');
});

test('runs on different datasets: each data stage builds its own, and each run trains on it', () => {
  const noisy = lenet
    .replace('source: mnist', 'source: mnist\n  limit: { train: 200, test: 20 }')
    .replace('    - { type: normalize', '    - { type: noise, std: 0.1 }\n    - { type: normalize')
    .replace('epochs: 10', 'epochs: 1')
    .concat('\nmatrix:\n  dataset.transforms.1.std: [0.1, 0.3]\n');
  const file = pipeline('noisy', noisy);
  for (const stage of ['data', 'data-1', 'train-m1']) {
    const r = cli('stage', file, stage);
    assert.equal(r.status, 0, `${stage}: ${r.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(join(artifacts, 'noisy', 'data-1', 'manifest.json'), 'utf8'));
  assert.equal(manifest.transforms[1].std, 0.3);
});

test('check accepts the shipped pipelines; key prints the fingerprint, with the backend for train', () => {
  const ok = cli('check', 'pipelines/lenet-l2.yaml');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(cli('key', 'pipelines/lenet-l2.yaml', 'data').stdout, /^[0-9a-f]{20}\n$/);
  assert.match(cli('key', 'pipelines/lenet-l2.yaml', 'train').stdout, /^[0-9a-f]{20}-(wasm|tensorflow|cpu)-t\d+\n$/);
});

test('a stage given a key that no longer holds (a stale Nx graph) refuses to run, in one line, writing nothing', () => {
  const file = pipeline('stale', lenet);
  const r = cli('stage', file, 'data', '--key', '0123456789abcdef0123');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^.*stale\.yaml: stage data was planned with key 0123456789abcdef0123 but reads [0-9a-f]{20} now: Nx's project graph is stale .*npx nx reset/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.ok(!existsSync(join(artifacts, 'stale')));
});

test('unknown commands, options and stages are usage errors: exit 2, one line', () => {
  assert.equal(cli('frobnicate').status, 2);
  const option = cli('check', 'pipelines/lenet-l2.yaml', '--frobnicate');
  assert.equal(option.status, 2);
  assert.equal(option.stderr, 'unknown option --frobnicate (trainyard --help lists the commands and options)\n');
  const r = cli('stage', 'pipelines/lenet-l2.yaml', 'nope');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /has no stage 'nope' \(it has data, train, export, evaluate, features, charts\)/);
});

test('a stage run by Nx (with --key) refuses TRAINYARD_ARTIFACTS, which would leave Nx caching an empty folder', () => {
  const key = cli('key', 'pipelines/lenet-l2.yaml', 'data').stdout.trim();
  const r = cli('stage', 'pipelines/lenet-l2.yaml', 'data', '--key', key);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `TRAINYARD_ARTIFACTS is set (${artifacts}), but Nx caches artifacts/lenet-l2/data: unset it to run stages through Nx\n`);
  assert.ok(!existsSync(join(artifacts, 'lenet-l2', 'data')), 'nothing written');
});

test('output cut short by its reader (plan | head) ends quietly', () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx apps/cli/main.ts plan pipelines/lenet-batch-lr-sweep.yaml | head -1`], { cwd: repo, encoding: 'utf8' });
  assert.match(r.stdout, /^lenet-batch-lr-sweep\.data /);
  assert.equal(r.stderr, '');
});

test('shard --dry-run prints its slice of the runs with their share of the work; bad numbers are usage errors', () => {
  const r = cli('shard', 'pipelines/fashion-regularization.yaml', '--shards', '2', '--index', '1', '--dry-run');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^pipelines\/fashion-regularization\.yaml: shard 1 of 2, 2 of 5 runs, \d+% of the expected work$/);
  assert.deepEqual(lines.slice(1).map((l) => l.trim().split(/\s+/)[0]), ['baseline', 'l2-tuned']);
  for (const [args, message] of [
    [['--shards', '2', '--index', '3'], '--index must be between 1 and --shards (2); got 3'],
    [['--shards', '0', '--index', '1'], "--shards needs a whole number >= 1 (got '0')"],
    [['--shards', '2'], '--index needs a whole number >= 1'],
  ] as const) {
    const bad = cli('shard', 'pipelines/lenet-l2.yaml', ...args);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim(), message);
  }
});

test("an idx dataset with fewer classes than the model outputs: train stops before training, in one line naming both", () => {
  const data = join(dir, 'four-classes');
  writeIdxDataset(data, syntheticParts(40, 8, 28, 28, 4));
  const file = pipeline('four', lenet.replace('source: mnist', `source: idx\n  path: ${data}`).replace('epochs: 10', 'epochs: 1'));
  assert.equal(cli('stage', file, 'data').status, 0);
  const r = cli('stage', file, 'train');
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), 'error: the model outputs [10] but the dataset has 4 classes (0, 1, 2, 3): its last layer must output 4 logits (set TRAINYARD_DEBUG=1 for details)');
  assert.ok(!existsSync(join(artifacts, 'four', 'train')));
});
