import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readWeights, writeStage, writeWeights } from './index';

test('writeStage replaces the folder only when the work succeeds', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-stage-'));
  const dir = join(root, 'train');
  mkdirSync(dir);
  writeFileSync(join(dir, 'old.json'), 'old');
  await assert.rejects(
    writeStage(dir, async (tmp) => {
      writeFileSync(join(tmp, 'half.json'), '{');
      throw new Error('interrupted');
    }),
    /interrupted/,
  );
  assert.deepEqual(readdirSync(root), ['train'], 'no temporary folder left');
  assert.equal(readFileSync(join(dir, 'old.json'), 'utf8'), 'old', 'the previous output is untouched');
  await writeStage(dir, async (tmp) => writeFileSync(join(tmp, 'new.json'), 'new'));
  assert.deepEqual(readdirSync(dir), ['new.json'], 'stale files of the previous output are gone');
  assert.ok(!existsSync(join(dir, 'old.json')));
});

test('weights round-trip through weights.json and weights.bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-weights-'));
  const weights = {
    'C1/kernel': { shape: [2, 2, 1, 2], data: Float32Array.from({ length: 8 }, (_, i) => i / 3) },
    'C1/bias': { shape: [2], data: Float32Array.of(-1.5, 2.25) },
  };
  writeWeights(dir, weights);
  assert.deepEqual(readWeights(dir), weights);
});

test("a killed stage's temporary folder is swept when the next stage starts; a running one's is left", async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-sweep-'));
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout.trim());
  const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    mkdirSync(join(root, `.train.tmp-${deadPid}`));
    writeFileSync(join(root, `.train.tmp-${deadPid}`, 'weights.bin'), 'half');
    mkdirSync(join(root, `.data.tmp-${running.pid}`));
    await writeStage(join(root, 'export'), async (tmp) => writeFileSync(join(tmp, 'model.onnx'), 'x'));
    assert.deepEqual(readdirSync(root).sort(), [`.data.tmp-${running.pid}`, 'export']);
  } finally {
    running.kill();
  }
});

test('one writer per stage folder: a second is refused in one line naming the first; a lock whose process is gone is taken over', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-lock-'));
  const dir = join(root, 'train');
  const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    writeFileSync(join(root, '.train.lock'), String(running.pid));
    await assert.rejects(
      writeStage(dir, async () => assert.fail('ran while another process held the lock')),
      (e: Error & { code?: string }) => e.code === 'TY_STAGE_BUSY' && e.message.includes(`process ${running.pid}`) && !e.message.includes('\n'),
    );
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
    writeFileSync(join(root, '.train.lock'), String(deadPid));
    await writeStage(dir, async (tmp) => writeFileSync(join(tmp, 'run.json'), '{}'));
    assert.deepEqual(readdirSync(root), ['train'], 'the lock is released after the stage');
  } finally {
    running.kill();
  }
});

test('two writers of one stage at once: one writes, the other is refused; the folder is whole', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-race-'));
  const dir = join(root, 'train');
  const slow = (name: string) => async (tmp: string) => {
    writeFileSync(join(tmp, 'who'), name);
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const results = await Promise.allSettled([writeStage(dir, slow('a')), writeStage(dir, slow('b'))]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  assert.equal(readFileSync(join(dir, 'who'), 'utf8'), 'a');
  assert.deepEqual(readdirSync(root), ['train']);
});

const interruptible = `
const { writeFileSync } = require('node:fs');
const { writeStage } = require(${JSON.stringify(join(__dirname, 'index.ts'))});
writeStage(process.argv[1], async (tmp) => {
  writeFileSync(tmp + '/weights.bin', 'half');
  console.log('ready');
  await new Promise((resolve) => setTimeout(resolve, 30000));
});
`;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during a stage removes its temporary folder and lock, keeps the previous output, and says so`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'trainyard-signal-'));
    const dir = join(root, 'train');
    mkdirSync(dir);
    writeFileSync(join(dir, 'run.json'), 'previous');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', interruptible, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    assert.ok(readdirSync(root).some((n) => n.startsWith('.train.tmp-')), 'the stage is under way');
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, signal === 'SIGINT' ? 130 : 143);
    assert.match(stderr, new RegExp(`interrupted \\(${signal}\\): .*train left as it was`));
    assert.deepEqual(readdirSync(root), ['train']);
    assert.equal(readFileSync(join(dir, 'run.json'), 'utf8'), 'previous');
  });
}

test('a swap cut short (killed between its two renames) is undone by the next stage: the previous output comes back', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-swap-'));
  const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
  mkdirSync(join(root, `.train.old-${deadPid}`));
  writeFileSync(join(root, `.train.old-${deadPid}`, 'run.json'), 'previous');
  mkdirSync(join(root, `.train.tmp-${deadPid}`));
  await writeStage(join(root, 'export'), async (tmp) => writeFileSync(join(tmp, 'model.onnx'), 'x'));
  assert.deepEqual(readdirSync(root).sort(), ['export', 'train']);
  assert.equal(readFileSync(join(root, 'train', 'run.json'), 'utf8'), 'previous');
});
