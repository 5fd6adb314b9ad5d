/**
 * `trainyard diff` in a throwaway git repository: the other commit's results come from Nx's cache
 * through a worktree, a stage not in the cache is named and never run without --run.
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
  assert.equal(miss.status, 1, miss.output);
  assert.match(miss.output, /^working tree: 1 stage not in the cache \(small\.train\), so its runs are left out; --run runs it$/m);
  assert.doesNotMatch(miss.output, /training\.l2|test accuracy/, "the working tree's artifacts/ still hold HEAD's results: they are not the working tree's");
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
