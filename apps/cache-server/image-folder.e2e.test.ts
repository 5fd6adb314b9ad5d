/**
 * A pipeline of an image folder across machines: a fresh copy of the workspace (no `.nx`, no `artifacts/`) on
 * another machine (its own /etc/machine-id), with the folder copied anew (other modification and
 * status-change times), replays every stage from the remote cache. The data stage's key follows what the
 * files hold, not when or where they were written.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeMnistImages } from '../../libs/data/testing';
import { copyWorkspace, IMAGE_STAGES as STAGES, imagePipeline, nx, stagesRun } from '../cli/testing';
import { acrossMachinesSkip, READ_TOKEN, startCacheServer, WRITE_TOKEN, type RunningServer } from './testing';

const PIPELINE = imagePipeline(
  `  source: folder
  path: data/digits
  channels: 1
  test: 0.25
  transforms:
    - { type: pad, to: 32 }`,
  '[1, 32, 32]',
);

const machine = (n: number) => n.toString(16).padStart(32, 'b');

describe('an image folder across machines', { skip: acrossMachinesSkip }, () => {
  let server: RunningServer;
  let root: string;
  before(async () => {
    server = await startCacheServer();
    root = mkdtempSync(join(tmpdir(), 'trainyard-folder-machines-'));
  });
  after(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const remote = (token: string) => ({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token });

  function fresh(name: string): string {
    const dir = copyWorkspace(join(root, name), { pipelines: false });
    writeFileSync(join(dir, 'pipelines', 'own.yaml'), PIPELINE);
    return dir;
  }

  function run(cwd: string, token: string, machineId: string) {
    const r = nx(cwd, ['run', 'pipeline:own', '--output-style=static'], remote(token), { machineId });
    assert.equal(r.status, 0, r.output);
    return { ...stagesRun(r.output, 'own'), output: r.output };
  }

  /** What `trainyard key` prints for the data stage: its key, and the fingerprint of its files (the Nx plugin's environment input). */
  function key(cwd: string): string {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'key', 'pipelines/own.yaml', 'data'], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/, checked in \d+ ms/, '');
  }

  test('a fresh copy on another machine, its folder copied with new times, replays every stage; an edited image re-runs them', async () => {
    const first = fresh('first');
    await writeMnistImages(join(first, 'data', 'digits'), { format: 'png', channels: 1, layout: 'folder', perClass: 30, digits: [3, 8] });
    assert.deepEqual(run(first, WRITE_TOKEN, machine(1)).ran, STAGES);

    const second = fresh('second');
    const digits = join(second, 'data', 'digits');
    cpSync(join(first, 'data', 'digits'), digits, { recursive: true });
    const later = new Date(Date.now() + 3_600_000);
    for (const c of ['3', '8']) for (const f of readdirSync(join(digits, c))) utimesSync(join(digits, c, f), later, later);
    assert.equal(key(second), key(first), 'the same key and files fingerprint');
    const { ran, cached, output } = run(second, READ_TOKEN, machine(2));
    assert.deepEqual(ran, []);
    assert.deepEqual(cached, STAGES);
    for (const stage of STAGES) assert.match(output, new RegExp(`own\\.${stage}:${stage}\\s+\\[remote cache\\]`));
    assert.deepEqual(readFileSync(join(second, 'artifacts/own/export/model.onnx')), readFileSync(join(first, 'artifacts/own/export/model.onnx')));

    const [three, eight] = ['3', '8'].map((c) => join(digits, c, readdirSync(join(digits, c)).sort()[0]));
    copyFileSync(eight, three);
    assert.notEqual(key(second), key(first));
    assert.deepEqual(run(second, READ_TOKEN, machine(2)).ran, STAGES);
  });
});
