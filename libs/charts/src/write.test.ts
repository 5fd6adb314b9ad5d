import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChartsError } from './errors';
import { syntheticRun } from '../testing';
import { lossSpec } from './kinds/loss';
import { writeCharts } from './write';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'charts-'));
}

test('writeCharts defaults: spec, svg and png for loss, accuracy, confusion and test accuracy', async () => {
  const dir = tmp();
  try {
    const written = await writeCharts([syntheticRun()], {}, dir);
    const expected = ['loss', 'accuracy', 'confusion', 'test-accuracy'].flatMap((k) => [`${k}.vl.json`, `${k}.svg`, `${k}.png`]);
    assert.deepEqual(
      written,
      expected.map((f) => join(dir, f)),
    );
    assert.deepEqual(readdirSync(dir).sort(), [...expected].sort());
    const spec = JSON.parse(readFileSync(join(dir, 'loss.vl.json'), 'utf8'));
    assert.deepEqual(spec, JSON.parse(JSON.stringify(lossSpec([syntheticRun()]))));
    assert.match(readFileSync(join(dir, 'confusion.svg'), 'utf8'), /^<svg/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeCharts include=[accuracy] formats=[png]: accuracy.vl.json and accuracy.png only', async () => {
  const dir = tmp();
  try {
    const written = await writeCharts([syntheticRun()], { include: ['accuracy'], formats: ['png'], scale: 1 }, dir);
    assert.deepEqual(written, [join(dir, 'accuracy.vl.json'), join(dir, 'accuracy.png')]);
    assert.deepEqual(readdirSync(dir).sort(), ['accuracy.png', 'accuracy.vl.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeCharts confusion without metrics: throws before writing anything', async () => {
  const dir = join(tmp(), 'out');
  const { metrics: _unused, ...noMetrics } = syntheticRun();
  try {
    await assert.rejects(
      writeCharts([noMetrics], { include: ['loss', 'confusion'] }, dir),
      (e: unknown) => e instanceof ChartsError && e.code === 'NO_METRICS',
    );
    assert.throws(() => readdirSync(dir), /ENOENT/);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('writeCharts unknown kind or no format: refused by the schema', async () => {
  const bad = { include: ['roc'] } as unknown as Parameters<typeof writeCharts>[1];
  await assert.rejects(
    writeCharts([syntheticRun()], bad, tmpdir()),
    /Charts\/include\/0: must be one of loss, accuracy, confusion, test-accuracy/,
  );
  const noFormats = { formats: [] } as unknown as Parameters<typeof writeCharts>[1];
  await assert.rejects(writeCharts([syntheticRun()], noFormats, tmpdir()), /Charts\/formats: must have at least 1 item/);
});

test('writeCharts for a single run that diverged in its first epoch: no curves, the other charts still drawn', async () => {
  const dir = tmp();
  try {
    await writeCharts([syntheticRun({ epochs: 0 })], { formats: ['svg'] }, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['confusion.svg', 'confusion.vl.json', 'test-accuracy.svg', 'test-accuracy.vl.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
