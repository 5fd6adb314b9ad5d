/**
 * `trainyard diff` in a throwaway git repository: the other commit's results come from Nx's cache
 * through a worktree, a stage not in the cache is named and never run without --run, its runs' settings
 * are still compared, and nothing it refused is left in Nx's task history.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { copyWorkspace, nx, nxAsync, SMALL_PIPELINE, stagesRun } from './testing';

const root = mkdtempSync(join(tmpdir(), 'trainyard-diff-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

const PIPELINE = SMALL_PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 1000, test: 300 }').replace(/include: \[.*\]/, 'include: [loss]');

const diff = (cwd: string, ...args: string[]) => nxAsync(cwd, ['--import', 'tsx', 'apps/cli/main.ts', 'diff', 'pipelines/small.yaml', ...args], { bin: process.execPath });

test('diff: settings and results against HEAD, the other side replayed from the cache, a miss named and run only with --run', async () => {
  const dir = copyWorkspace(join(root, 'ws'), { pipelines: false });
  const file = join(dir, 'pipelines', 'small.yaml');
  writeFileSync(file, PIPELINE);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '--quiet');
  // The copy's node_modules is a symlink, which the `node_modules/` of .gitignore does not match.
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  const first = nx(dir, ['run-many', '--targets', 'evaluate', '--projects', 'small.evaluate']);
  assert.equal(first.status, 0, first.output);

  writeFileSync(file, PIPELINE.replace('l2: 0.0001', 'l2: 0.001'));
  const miss = await diff(dir);
  assert.equal(miss.status, 0, `the settings could be compared\n${miss.output}`);
  assert.match(miss.output, /^working tree: 1 stage not in the cache \(small\.train\), so 1 run shows as not cached; --run runs it$/m);
  assert.match(miss.output, /^default\s+training\.l2\s+0\.0001\s+0\.001$/m, 'the setting, from both files');
  assert.match(miss.output, /^default\s+test accuracy\s+\d+\.\d\d%\s+not cached\s+—$/m, "the working tree's artifacts/ still hold HEAD's results: they are not the working tree's");
  assert.doesNotMatch(miss.output, /^epoch /m, 'nothing trained');
  assert.doesNotMatch(miss.output, /^HEAD/m, "HEAD's side replayed from the cache in its worktree");

  const ran = await diff(dir, '--run');
  assert.equal(ran.status, 0, ran.output);
  // The working tree's data stage did not change; HEAD's side replays every stage.
  assert.deepEqual(stagesRun(ran.output, 'small'), { ran: ['evaluate', 'export', 'train'], cached: ['data', 'data', 'evaluate', 'export', 'train'] });
  const head = git('rev-parse', '--short=7', 'HEAD').trim();
  assert.match(ran.output, new RegExp(`^Run\\s+Param\\s+HEAD \\(${head}\\)\\s+working tree$`, 'm'));
  assert.match(ran.output, /^default\s+training\.l2\s+0\.0001\s+0\.001$/m);
  assert.match(ran.output, /^default\s+test accuracy\s+\d+\.\d\d%\s+\d+\.\d\d%\s+(0|[+−]\d+\.\d\d pt)$/m);

  const replayed = await diff(dir, '--json', '--report');
  assert.equal(replayed.status, 0, replayed.output);
  assert.doesNotMatch(replayed.output, /not in the cache|^epoch /m, 'both sides from the cache');
  const json = JSON.parse(replayed.output.slice(replayed.output.indexOf('{'), replayed.output.lastIndexOf('}') + 1));
  assert.deepEqual(json.params, [{ run: 'default', param: 'training.l2', old: 0.0001, new: 0.001 }]);
  const accuracy = json.metrics.find((m: { metric: string }) => m.metric === 'test accuracy');
  const metrics = JSON.parse(readFileSync(join(dir, 'artifacts', 'small', 'evaluate', 'metrics.json'), 'utf8'));
  assert.equal(accuracy.new, metrics.accuracy, "the working tree's side is its evaluate stage's result");
  assert.notEqual(accuracy.old, undefined);
  // Both sides' curves in one page.
  assert.match(replayed.output, /^wrote artifacts\/small\/diff\/report\.html$/m);
  const loss = readFileSync(join(dir, 'artifacts', 'small', 'diff', 'loss.vl.json'), 'utf8');
  assert.ok(loss.includes(` · HEAD (${head})`) && loss.includes(' · working tree'), 'both sides in the loss chart');

  const bad = await diff(dir, 'no-such-ref');
  assert.equal(bad.status, 1);
  assert.match(bad.output, /^diff: 'no-such-ref' is not a commit of this repository$/m);
  assert.equal(git('worktree', 'list').trim().split('\n').length, 1, 'no worktree left behind');
});

test('diff: a learning rate changed and not yet cached: each run\'s setting listed, its results not cached (not "Only in"); no failed task left in Nx\'s history', async () => {
  const dir = copyWorkspace(join(root, 'sweep'), { pipelines: false });
  const file = join(dir, 'pipelines', 'small.yaml');
  const sweep = `${PIPELINE}matrix:\n  training.batch-size: [32, 64]\n`;
  writeFileSync(file, sweep);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '--quiet');
  writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  const first = nx(dir, ['run', 'pipeline:small']);
  assert.equal(first.status, 0, first.output);
  const head = git('rev-parse', '--short=7', 'HEAD').trim();

  // Overrides change both sides alike: no setting differs and no run is cached on either side, so nothing to compare.
  const nothing = await nxAsync(dir, ['--import', 'tsx', 'apps/cli/main.ts', 'diff', 'pipelines/small.yaml', '--report'], { bin: process.execPath, env: { TRAINYARD_OVERRIDES: '{training: {epochs: 2}}' } });
  assert.equal(nothing.status, 1, nothing.output);
  assert.match(nothing.output, /^No setting changed between HEAD \(\w+\) and working tree\.$/m);
  assert.match(nothing.output, /^Not cached in HEAD \(\w+\): m0, m1$/m);
  assert.match(nothing.output, /^diff: no run is cached on either side, so no report is written$/m);

  writeFileSync(file, sweep.replace('learning-rate: 0.002', 'learning-rate: 0.003'));
  const text = await diff(dir);
  assert.equal(text.status, 0, `settings compared, so a diff worth having\n${text.output}`);
  assert.match(text.output, /^working tree: 2 stages not in the cache \(small\.train-m\d, small\.train-m\d\), so 2 runs show as not cached; --run runs them$/m);
  assert.doesNotMatch(text.output, /Only in|No setting changed/, 'the runs are in both plans, and a setting did change');
  for (const run of ['m0', 'm1']) {
    assert.match(text.output, new RegExp(`^${run}\\s+training\\.learning-rate\\s+0\\.002\\s+0\\.003$`, 'm'), `${run}'s learning rate`);
    for (const metric of ['test accuracy', 'test loss', 'val accuracy']) {
      assert.match(text.output, new RegExp(`^${run}\\s+${metric}\\s+\\d+\\.\\d+%?\\s+not cached\\s+—$`, 'm'), `${run}'s ${metric}: HEAD's, and not cached in the working tree`);
    }
  }
  assert.match(text.output, /^Not cached in working tree: m0, m1$/m);
  assert.doesNotMatch(text.output, /^epoch /m, 'nothing trained');

  // The same as data, and the report drawn from what is cached (HEAD's side).
  const data = await diff(dir, '--json', '--report');
  assert.equal(data.status, 0, data.output);
  const json = JSON.parse(data.output.slice(data.output.indexOf('{'), data.output.lastIndexOf('}') + 1));
  assert.deepEqual(json.params.map((p: { run: string; param: string; old: number; new: number }) => [p.run, p.param, p.old, p.new]), [['m0', 'training.learning-rate', 0.002, 0.003], ['m1', 'training.learning-rate', 0.002, 0.003]]);
  assert.deepEqual([json.added, json.removed, json.uncached], [[], [], { old: [], new: ['m0', 'm1'] }]);
  assert.equal(json.metrics.length, 6);
  for (const m of json.metrics) {
    assert.deepEqual([typeof m.old, m.new, m.change, m.cached], ['number', null, null, { old: true, new: false }], JSON.stringify(m));
  }
  assert.match(data.output, /^wrote artifacts\/small\/diff\/report\.html$/m);
  assert.ok(readFileSync(join(dir, 'artifacts', 'small', 'diff', 'loss.vl.json'), 'utf8').includes(` · HEAD (${head})`), "HEAD's curves in the report");

  // The stages diff refused did not fail in Nx's records: running them now, then replaying them, is not "flaky".
  const trained = nx(dir, ['run', 'pipeline:small']);
  assert.equal(trained.status, 0, trained.output);
  assert.doesNotMatch(trained.output, /flaky/i, trained.output);
  const cached = nx(dir, ['run', 'pipeline:small']);
  assert.equal(cached.status, 0, cached.output);
  assert.deepEqual(stagesRun(cached.output, 'small').ran, [], 'every stage from the cache');
  assert.doesNotMatch(cached.output, /flaky/i, cached.output);
});
