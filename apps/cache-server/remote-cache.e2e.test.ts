/**
 * Nx's remote cache on our cache server, across machines: fresh copies of the workspace that share
 * nothing (no `.nx`, no `artifacts/`), each shown its own /etc/machine-id, as CI runners are.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyWorkspace, nx, nxAsync, repo, SMALL_PIPELINE, stagesRun } from '../cli/testing';
import { acrossMachinesSkip, freePort, READ_TOKEN, startCacheServer, WRITE_TOKEN, type RunningServer } from './testing';

const skip = acrossMachinesSkip;

const STAGES = ['charts', 'data', 'evaluate', 'export', 'train'];
const SMALL = SMALL_PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 600, test: 200 }');
const SWEEP = `${SMALL}matrix:\n  training.learning-rate: [0.01, 0.002]\nseeds: [1, 2]\n`;

/** A machine id of its own for each copy: `machine(1)`, `machine(2)`, ... */
const machine = (n: number) => n.toString(16).padStart(32, 'a');

describe('the remote cache across machines', { skip }, () => {
  let server: RunningServer;
  let root: string;
  before(async () => {
    server = await startCacheServer();
    root = mkdtempSync(join(tmpdir(), 'trainyard-remote-'));
  });
  after(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const remote = (token: string, url = server.url) => ({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token });

  function fresh(name: string, pipeline = 'e2e', text = SMALL): string {
    const dir = copyWorkspace(join(root, name), { pipelines: false });
    writeFileSync(join(dir, 'pipelines', `${pipeline}.yaml`), text);
    return dir;
  }

  function run(cwd: string, env: NodeJS.ProcessEnv, machineId: string, pipeline = 'e2e') {
    const r = nx(cwd, ['run', `pipeline:${pipeline}`, '--output-style=static'], env, { machineId });
    assert.equal(r.status, 0, r.output);
    return { ...stagesRun(r.output, pipeline), output: r.output };
  }

  let first: string;

  test('a fresh copy on another machine replays every stage from the server with the read token, and writes nothing', () => {
    first = fresh('first');
    assert.deepEqual(run(first, remote(WRITE_TOKEN), machine(1)).ran, STAGES);
    const stored = server.entries();
    assert.ok(stored.length >= STAGES.length, `the write token stored the stages: ${stored.length} entries`);

    const second = fresh('second');
    const { ran, cached, output } = run(second, remote(READ_TOKEN), machine(2));
    assert.deepEqual(ran, []);
    assert.deepEqual(cached, STAGES);
    for (const stage of STAGES) assert.match(output, new RegExp(`e2e\\.${stage}:${stage}\\s+\\[remote cache\\]`));
    assert.deepEqual(readFileSync(join(second, 'artifacts/e2e/export/model.onnx')), readFileSync(join(first, 'artifacts/e2e/export/model.onnx')));
    assert.deepEqual(server.entries(), stored);
  });

  test("the first copy's .nx folder restored on another machine replays nothing (why a remote cache is needed)", () => {
    const restored = fresh('restored');
    cpSync(join(first, '.nx'), join(restored, '.nx'), { recursive: true });
    assert.deepEqual(run(restored, {}, machine(3)).ran, STAGES);
  });

  test('with the read token, misses are computed locally and nothing reaches the store', () => {
    const changed = fresh('changed', 'e2e', SMALL.replace('learning-rate: 0.002', 'learning-rate: 0.003'));
    const stored = server.entries();
    const { ran, cached } = run(changed, remote(READ_TOKEN), machine(4));
    assert.deepEqual(cached, ['data']);
    assert.deepEqual(ran, ['charts', 'evaluate', 'export', 'train']);
    assert.deepEqual(server.entries(), stored);
  });

  test('a wrong token gets no hits, and a server that is down fails nothing: one warning line each', async () => {
    const dir = fresh('unlucky');
    const wrong = run(dir, remote('wrong-token-0123456789'), machine(5));
    assert.deepEqual(wrong.ran, STAGES);
    assert.equal(wrong.output.match(/remote cache .* skipped/g)?.length, 1, wrong.output);
    assert.match(wrong.output, /^trainyard: remote cache http:\/\/127\.0\.0\.1:\d+ skipped: the server refused the token \(HTTP 401\); using the local cache only$/m);

    const down = `http://127.0.0.1:${await freePort()}`;
    const offline = run(dir, remote(WRITE_TOKEN, down), machine(5));
    assert.deepEqual(offline.cached, STAGES, 'the local cache still serves');
    assert.equal(offline.output.match(/remote cache .* skipped/g)?.length, 1, offline.output);
    assert.match(offline.output, /skipped: unreachable \(ECONNREFUSED\); using the local cache only/);
  });

  test('two shards of a 4-run sweep at once, then a third machine replays every run and draws only the charts, as an unsharded run would', async () => {
    const shard = (name: string, index: number, n: number) =>
      nxAsync(fresh(name, 'sweep', SWEEP), ['--import', 'tsx', join(repo, 'apps/cli/main.ts'), 'shard', 'pipelines/sweep.yaml', '--shards', '2', '--index', String(index), '--', '--output-style=static'], {
        bin: process.execPath,
        env: remote(WRITE_TOKEN),
        machineId: machine(n),
      });
    const shards = await Promise.all([shard('shard1', 1, 6), shard('shard2', 2, 7)]);
    const trained: string[] = [];
    for (const s of shards) {
      assert.equal(s.status, 0, s.output);
      assert.match(s.output, /shard \d of 2, 2 of 4 runs/);
      trained.push(...stagesRun(s.output, 'sweep').ran.filter((t) => t.startsWith('train-')));
    }
    assert.deepEqual(trained.sort(), ['train-m0-s0', 'train-m0-s1', 'train-m1-s0', 'train-m1-s1'], 'each run trained once, in one shard');

    const gather = fresh('gather', 'sweep', SWEEP);
    const replay = run(gather, remote(READ_TOKEN), machine(8), 'sweep');
    assert.deepEqual(replay.ran, ['charts']);
    assert.equal(replay.cached.length, 13, replay.output);

    const whole = fresh('unsharded', 'sweep', SWEEP);
    assert.equal(run(whole, {}, machine(9), 'sweep').ran.length, 14);
    for (const r of ['m0-s0', 'm0-s1', 'm1-s0', 'm1-s1']) {
      const metrics = (dir: string) => JSON.parse(readFileSync(join(dir, `artifacts/sweep/evaluate-${r}/metrics.json`), 'utf8'));
      assert.deepEqual(metrics(gather), metrics(whole), r);
      assert.deepEqual(readFileSync(join(gather, `artifacts/sweep/export-${r}/model.onnx`)), readFileSync(join(whole, `artifacts/sweep/export-${r}/model.onnx`)), r);
    }
  });
});
