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
import { sweepSpec, sweptKeys } from './sweep';

/** A 2 × 2 sweep of learning rate and batch size with two seeds; accuracies chosen for easy means. */
function sweep(keys: ('learning-rate' | 'batch-size')[] = ['learning-rate', 'batch-size']): ChartRun[] {
  const runs: ChartRun[] = [];
  for (const lr of [0.01, 0.001]) {
    for (const bs of [32, 64]) {
      for (const seed of [1, 2]) {
        const values: Record<string, unknown> = { ...(keys.includes('learning-rate') && { 'learning-rate': lr }), ...(keys.includes('batch-size') && { 'batch-size': bs }), seed };
        const accuracy = 0.9 + (lr === 0.01 ? 0.05 : 0) + (bs === 32 ? 0.02 : 0) + (seed === 2 ? 0.002 : 0);
        const run = syntheticRun({ name: `lr=${lr}, bs=${bs}, seed=${seed}`, group: `lr=${lr}, bs=${bs}`, accuracy, seed });
        runs.push({ ...run, run: { ...run.run, values } });
      }
    }
  }
  return runs;
}

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

test('the swept keys are the runs\' values but the seed, in order', () => {
  assert.deepEqual(sweptKeys(sweep()), ['learning-rate', 'batch-size']);
  assert.deepEqual(sweptKeys([syntheticRun()]), []);
});

test('two swept keys: a heatmap of the mean over seeds with its spread, then a main effect per key', async () => {
  const spec = json(sweepSpec(sweep()));
  const [heatmap, effects] = spec.vconcat;
  assert.deepEqual([heatmap.encoding.x.title, heatmap.encoding.y.title], ['learning-rate', 'batch-size']);
  assert.match(heatmap.title, /± std over seeds/);
  assert.deepEqual(effects.hconcat.map((e: { title: string }) => e.title), ['Main effect of learning-rate', 'Main effect of batch-size']);
  assert.equal(spec.data.values.length, 8, 'a row per run: every seed is a dot');
  // The cell lr=0.01, bs=32: seeds at 97.0% and 97.2%: mean 97.10, sample std 0.14.
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('97.10 ± 0.14'), 'the cell writes its mean ± std');
  assert.ok(svg!.includes('90.10 ± 0.14'), 'the worst cell too');
});

test('one swept key: its main effect only; nothing swept: a clear error, and writeCharts leaves the chart out', async () => {
  const spec = json(sweepSpec(sweep(['learning-rate'])));
  assert.equal(spec.vconcat.length, 1);
  assert.throws(() => sweepSpec([syntheticRun(), syntheticRun({ name: 'other' })]), (e: unknown) => e instanceof ChartsError && e.code === 'NO_SWEEP');
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-sweep-'));
  try {
    await writeCharts([syntheticRun()], { include: ['sweep', 'loss'], formats: ['svg'] }, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['loss.svg', 'loss.vl.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
