/**
 * What Nx prints around a pipeline's tasks, as a user gets it: no advertisement for Nx Cloud, whose place
 * the project's own shared cache takes (`neverConnectToCloud` in nx.json), both when tasks run and when
 * every one is replayed from the cache.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { copyWorkspace, nx, QUICK_SMALL_PIPELINE, stagesRun } from './testing';

const STAGES = ['charts', 'data', 'evaluate', 'export', 'train'];

/** Any mention of Nx Cloud or its offers (its remote cache, Nx Agents, its sites). */
const CLOUD = /nx[ -]?cloud|nx\.app|nx agents/i;

let dir: string;

before(() => {
  dir = copyWorkspace(mkdtempSync(join(tmpdir(), 'trainyard-nx-output-')), { pipelines: false });
  writeFileSync(join(dir, 'pipelines', 'e2e.yaml'), QUICK_SMALL_PIPELINE);
  // Nx recommends its cloud's cache after a run of 30 s or more with few cache hits (MIN_RECOMMENDATION_RUN_DURATION
  // in nx's performance-report.js), as a first `nx run pipeline:lenet-l2` is. A task that waits 31 s makes every
  // first run here one, however fast this machine trains the small pipeline.
  mkdirSync(join(dir, 'slow'));
  writeFileSync(join(dir, 'slow', 'project.json'), JSON.stringify({ name: 'slow', targets: { wait: { command: 'sleep 31', cache: true } } }));
});

after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the pipeline and the waiting task as a user's `npx nx run` would, without NX_NO_CLOUD (which the other
 * tests set). CI=true, as the other tests have it: there Nx may also offer Nx Agents, so CI shows every offer a
 * terminal shows and more.
 */
function run(): { ran: string[]; cached: string[]; output: string } {
  const r = nx(dir, ['run-many', '--targets=e2e,wait', '--projects=pipeline,slow', '--output-style=static'], { NX_NO_CLOUD: undefined });
  assert.equal(r.status, 0, r.output);
  return { ...stagesRun(r.output, 'e2e'), output: r.output };
}

/** Nx's "Run duration" in seconds, from its report after the run. */
function runSeconds(output: string): number {
  const m = output.match(/^\s*Run duration:\s+(?:(\d+)m\s*)?(?:([\d.]+)s|(\d+)ms|<1ms)\s*$/m);
  assert.ok(m, `no run duration in:\n${output}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 1000;
}

test('a run that executes the tasks mentions no Nx Cloud', () => {
  const { ran, output } = run();
  assert.deepEqual(ran, STAGES);
  // What makes Nx offer its cloud's cache: 30 s or more, at most 10% of the tasks from the cache.
  assert.ok(runSeconds(output) >= 30, output);
  assert.match(output, /^\s*Cache:\s+0\/\d+ hit/m);
  assert.doesNotMatch(output, CLOUD, output);
});

test('a replay of every task from the cache mentions no Nx Cloud', () => {
  const { ran, cached, output } = run();
  assert.deepEqual(ran, []);
  assert.deepEqual(cached, STAGES);
  assert.match(output, /^\s*Cache:\s+(\d+)\/\1 hit/m);
  assert.doesNotMatch(output, CLOUD, output);
});
