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
