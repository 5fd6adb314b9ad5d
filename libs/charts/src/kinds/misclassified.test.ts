import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { renderChart } from '../render';
import type { ChartRun } from '../types';
import { hasMisclassified, misclassifiedSpec } from './misclassified';

/** A run that got `n` 4x4 images wrong; image i is lit at pixel i. */
function withMistakes(name: string, accuracy: number, n: number): ChartRun {
  const images = Array.from({ length: n }, (_, i) => ({
    index: i * 10,
    label: String(i % 10),
    predicted: String((i + 1) % 10),
    confidence: 0.5 + i / 100,
    pixels: Array.from({ length: 16 }, (_, p) => (p === i ? 1 : 0)),
  }));
  return { ...syntheticRun({ name, accuracy }), misclassified: { imageShape: [1, 4, 4], images } };
}

test("the best run's misclassified images, each titled true → predicted (confidence), pixel by pixel", async () => {
  const runs = [withMistakes('worse', 0.9, 3), withMistakes('better', 0.95, 2)];
  assert.ok(hasMisclassified(runs));
  const spec = JSON.parse(JSON.stringify(misclassifiedSpec(runs)));
  assert.equal(spec.data.values.length, 2 * 16, 'the better run: 2 images of 16 pixels');
  assert.deepEqual([...new Set(spec.data.values.map((v: { title: string }) => v.title))], ['0 → 1 (50%)', '1 → 2 (51%)']);
  assert.match(spec.title.subtitle, /^the best run, better: the first 2 test images it got wrong/);
  assert.deepEqual(spec.data.values.filter((v: { v: number }) => v.v === 1).map((v: { item: number; x: number; y: number }) => [v.item, v.x, v.y]), [[0, 0, 0], [1, 1, 0]]);
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('0 → 1 (50%)'));
});

test('with a variant named baseline that is not the best, its images follow the best run\'s', async () => {
  const baseline = withMistakes('baseline', 0.9, 3);
  baseline.run = { ...baseline.run!, values: { variant: 'baseline' } };
  const spec = JSON.parse(JSON.stringify(misclassifiedSpec([baseline, withMistakes('dropout', 0.95, 2)])));
  assert.equal(spec.vconcat.length, 2);
  assert.deepEqual(spec.vconcat.map((g: { title: { text: string } }) => g.title.text.split(':')[0]), ['the best run, dropout', 'the baseline']);
  assert.deepEqual(spec.vconcat.map((g: { data: { values: unknown[] } }) => g.data.values.length), [2 * 16, 3 * 16]);
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('2 → 3 (52%)'), "the baseline's third image");
  // The baseline as the best run: one grid.
  assert.equal(JSON.parse(JSON.stringify(misclassifiedSpec([baseline]))).vconcat, undefined);
});

test('no run with misclassified images: a clear error', () => {
  assert.ok(!hasMisclassified([syntheticRun()]));
  assert.throws(() => misclassifiedSpec([syntheticRun()]), (e: unknown) => e instanceof ChartsError && e.code === 'NO_MISCLASSIFIED');
});
