/** Stopping a stage from outside: Ctrl-C in the middle of training, and Nx killed while a stage runs. */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyWorkspace, repo, SMALL_PIPELINE } from './testing';

/** SMALL_PIPELINE trained long enough to be interrupted in the middle. */
const LONG = SMALL_PIPELINE.replace('epochs: 1', 'epochs: 200');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Whether the process runs (a zombie waiting for its reaper does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid in the name of the train stage's temporary folder, once there is one. */
function trainingPid(artifacts: string): number | undefined {
  const name = existsSync(artifacts) ? readdirSync(artifacts).find((n) => n.startsWith('.train.tmp-')) : undefined;
  return name ? Number(name.slice('.train.tmp-'.length)) : undefined;
}

function workspace(prefix: string): string {
  const dir = copyWorkspace(mkdtempSync(join(tmpdir(), prefix)), { pipelines: false });
  writeFileSync(join(dir, 'pipelines', 'long.yaml'), LONG);
  return dir;
}

test('Ctrl-C in the middle of training stops the stage at once, leaving neither a temporary folder nor a lock', async () => {
  const dir = workspace('trainyard-sigint-');
  try {
    const cli = (stage: string) => ['--import', 'tsx', join(dir, 'apps', 'cli', 'main.ts'), 'stage', 'pipelines/long.yaml', stage];
    const data = spawnSync(process.execPath, cli('data'), { cwd: dir, encoding: 'utf8' });
    assert.equal(data.status, 0, data.stderr);
    const child = spawn(process.execPath, cli('train'), { cwd: dir, env: { ...process.env, CI: 'true' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    await until('an epoch of training', () => /epoch 1\/200 /.test(output), 120);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
    assert.equal(code, 130, output);
    assert.match(output, /interrupted \(SIGINT\): artifacts\/long\/train left as it was/);
    assert.deepEqual(readdirSync(join(dir, 'artifacts', 'long')), ['data']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SIGKILL of Nx's process group: the stage it started (in a session of its own) stops too and removes its temporary folder", async () => {
  const dir = workspace('trainyard-killnx-');
  try {
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true' };
    const nx = spawn(join(repo, 'node_modules', '.bin', 'nx'), ['run', 'pipeline:long'], { cwd: dir, env, detached: true, stdio: 'ignore' });
    const artifacts = join(dir, 'artifacts', 'long');
    const pid = await until('the train stage to start', () => trainingPid(artifacts), 180);
    await sleep(1000);
    process.kill(-nx.pid!, 'SIGKILL');
    await until('the stage to stop after Nx', () => !running(pid), 15);
    await until('its temporary folder to go', () => trainingPid(artifacts) === undefined, 5);
    assert.ok(!existsSync(join(artifacts, '.train.lock')), 'lock released');
    assert.ok(!existsSync(join(artifacts, 'train')), 'no output from a stage that did not finish');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stage whose parent dies stops itself, even with nothing to write to a closed pipe', async () => {
  const dir = workspace('trainyard-orphan-');
  try {
    const cli = ['--import', 'tsx', join(dir, 'apps', 'cli', 'main.ts'), 'stage', 'pipelines/long.yaml'];
    assert.equal(spawnSync(process.execPath, [...cli, 'data'], { cwd: dir }).status, 0);
    // A parent that starts the stage with its output going to a file, then waits to be killed.
    const log = join(dir, 'train.log');
    const parentScript = `
      const { spawn } = require('node:child_process');
      const fs = require('node:fs');
      const out = fs.openSync(${JSON.stringify(log)}, 'w');
      spawn(process.execPath, ${JSON.stringify([...cli, 'train'])}, { stdio: ['ignore', out, out] });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { cwd: dir, stdio: 'ignore' });
    const artifacts = join(dir, 'artifacts', 'long');
    const pid = await until('the train stage to start', () => trainingPid(artifacts), 120);
    await until('an epoch of training', () => /epoch 1\/200 /.test(readFileSync(log, 'utf8')), 120);
    parent.kill('SIGKILL');
    await until('the orphaned stage to stop', () => !running(pid), 15);
    assert.match(readFileSync(log, 'utf8'), /interrupted \(SIGTERM\): artifacts\/long\/train left as it was/);
    assert.deepEqual(readdirSync(artifacts), ['data']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGKILL in the middle of the data and the train stage, then a rerun: the results of a run never interrupted', async () => {
  const clean = workspace('trainyard-clean-');
  const killed = workspace('trainyard-killed-');
  const SHORT = SMALL_PIPELINE.replace('epochs: 1', 'epochs: 3');
  try {
    const cli = (dir: string, stage: string) => ['--import', 'tsx', join(dir, 'apps', 'cli', 'main.ts'), 'stage', 'pipelines/short.yaml', stage];
    const run = (dir: string, stage: string) => {
      const r = spawnSync(process.execPath, cli(dir, stage), { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    /** Starts the stage and SIGKILLs it once `ready` says it is under way. */
    const kill = async (dir: string, stage: string, ready: (output: string) => boolean) => {
      const child = spawn(process.execPath, cli(dir, stage), { cwd: dir, env: { ...process.env, CI: 'true' } });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await until(`${stage} under way`, () => ready(output) || undefined, 120);
      child.kill('SIGKILL');
      await exited;
    };
    for (const dir of [clean, killed]) writeFileSync(join(dir, 'pipelines', 'short.yaml'), SHORT);
    run(clean, 'data');
    run(clean, 'train');
    const artifacts = join(killed, 'artifacts', 'short');
    await kill(killed, 'data', () => existsSync(artifacts) && readdirSync(artifacts).some((n) => n.startsWith('.data.tmp-')));
    run(killed, 'data');
    await kill(killed, 'train', (output) => /epoch 2\/3 batch/.test(output));
    assert.ok(readdirSync(artifacts).some((n) => n.startsWith('.train.tmp-')), 'the killed stage left its folder');
    run(killed, 'train');
    assert.deepEqual(readdirSync(artifacts).sort(), ['data', 'train'], 'nothing left behind after the rerun');
    const read = (dir: string, file: string) => readFileSync(join(dir, 'artifacts', 'short', file));
    assert.deepEqual(read(killed, 'data/manifest.json'), read(clean, 'data/manifest.json'));
    assert.ok(read(killed, 'train/weights.bin').equals(read(clean, 'train/weights.bin')), 'the same weights, bit for bit');
    const curves = (dir: string) => (JSON.parse(read(dir, 'train/history.json').toString()) as { epochs: Record<string, number>[] }).epochs.map(({ seconds: _s, samplesPerSecond: _r, ...e }) => e);
    assert.deepEqual(curves(killed), curves(clean));
  } finally {
    rmSync(clean, { recursive: true, force: true });
    rmSync(killed, { recursive: true, force: true });
  }
});

test('exit codes through Nx: 1 for a run refused by a stage (its lock held), 130 only for Ctrl-C', async () => {
  const dir = workspace('trainyard-exit-');
  try {
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true' };
    const artifacts = join(dir, 'artifacts', 'long');
    // Another run writing the train stage: this process holds its lock.
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, '.train.lock'), String(process.pid));
    const refused = spawnSync(join(repo, 'node_modules', '.bin', 'nx'), ['run', 'pipeline:long'], { cwd: dir, env, encoding: 'utf8' });
    assert.match(refused.stdout + refused.stderr, /artifacts\/long\/train is being written by process \d+ \(another run of this pipeline\?\)/);
    assert.equal(refused.status, 1, 'a failed stage is a failed run, not an interrupted one');
    rmSync(join(artifacts, '.train.lock'));

    // Ctrl-C reaches the terminal's foreground group: Nx's.
    const nx = spawn(join(repo, 'node_modules', '.bin', 'nx'), ['run', 'pipeline:long'], { cwd: dir, env, detached: true });
    let output = '';
    nx.stdout.on('data', (d: Buffer) => (output += d));
    nx.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => nx.on('exit', (code, signal) => resolve({ code, signal })));
    await until('the train stage to start', () => trainingPid(artifacts), 180);
    await sleep(1000);
    process.kill(-nx.pid!, 'SIGINT');
    const { code, signal } = await exited;
    // Nx ends as an interrupted process does: by SIGINT itself (a shell shows 130), or with code 130.
    assert.ok(code === 130 || signal === 'SIGINT', `code ${code}, signal ${signal}\n${output}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
