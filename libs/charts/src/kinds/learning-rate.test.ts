import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { renderChart } from '../render';
import type { ChartRun } from '../types';
import { writeCharts } from '../write';
import { hasSchedule, learningRateSpec } from './learning-rate';

/** A run whose rate drops tenfold every 3 epochs. */
function stepped(name: string, group: string): ChartRun {
  const run = syntheticRun({ name, group, epochs: 7 });
  return { ...run, history: { epochs: run.history.epochs.map((e) => ({ ...e, learningRate: 0.01 * 0.1 ** Math.floor((e.epoch - 1) / 3) })) } };
}

test('a schedule gets a chart of the rate per epoch, a line per group; constant rates get none', async () => {
  const runs = [stepped('a, seed=1', 'a'), stepped('a, seed=2', 'a'), stepped('b, seed=1', 'b')];
  assert.ok(hasSchedule(runs));
  const spec = JSON.parse(JSON.stringify(learningRateSpec(runs)));
  assert.equal(spec.data.values.length, 14, 'seeds of a group share their schedule: 2 groups x 7 epochs');
  assert.deepEqual(spec.data.values.slice(0, 4).map((v: { rate: number }) => Number(v.rate.toPrecision(3))), [0.01, 0.01, 0.01, 0.001]);
  assert.equal(spec.encoding.y.scale.type, 'log');
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('Learning rate'));
  const constant = [syntheticRun(), syntheticRun({ name: 'other' })];
  assert.ok(!hasSchedule(constant));
  assert.throws(() => learningRateSpec(constant), (e: unknown) => e instanceof ChartsError && e.code === 'NO_SCHEDULE');
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-lr-'));
  try {
    await writeCharts(constant, { include: ['learning-rate', 'loss'], formats: ['svg'] }, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['loss.svg', 'loss.vl.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
