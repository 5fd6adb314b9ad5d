import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { ChartsError } from './errors';
import { syntheticRun } from '../testing';
import { accuracySpec } from './kinds/accuracy';
import { confusionSpec } from './kinds/confusion';
import { lossSpec } from './kinds/loss';
import { testAccuracySpec } from './kinds/test-accuracy';
import { renderChart } from './render';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which the PNG format puts first. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  assert.ok(m, 'svg root has width and height');
  return { width: Number(m[1]), height: Number(m[2]) };
}

test('renderChart loss formats=[svg,png] scale=2: SVG with the title, PNG twice its size', async () => {
  const spec = lossSpec([syntheticRun()]);
  const { svg, png } = await renderChart(spec, { formats: ['svg', 'png'], scale: 2 });
  assert.ok(svg && png);
  assert.match(svg, /^<svg[\s\S]*<\/svg>$/);
  assert.ok(svg.includes('LeNet-5: loss per epoch'));
  assert.ok(svg.includes('Cross-entropy loss (nats)'));
  assert.ok(svg.includes('font-family="DejaVu Sans"'));
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  const s = svgSize(svg);
  // The plot area is 480x300; axes, title and legend add to it.
  assert.ok(s.width > 480 && s.width < 800, `svg width ${s.width}`);
  assert.ok(s.height > 300 && s.height < 500, `svg height ${s.height}`);
  const p = pngSize(png);
  assert.ok(Math.abs(p.width - 2 * s.width) <= 1, `png width ${p.width} vs svg ${s.width}`);
  assert.ok(Math.abs(p.height - 2 * s.height) <= 1, `png height ${p.height} vs svg ${s.height}`);
});

test('renderChart confusion scale=1: PNG as large as the SVG, class names and counts drawn', async () => {
  const { svg, png } = await renderChart(confusionSpec([syntheticRun({ classes: ['cat', 'dog', 'bird'] })]), { scale: 1 });
  assert.ok(svg && png);
  for (const label of ['cat', 'dog', 'bird', 'True class', 'Predicted class', '>900<']) assert.ok(svg.includes(label), label);
  const s = svgSize(svg);
  const p = pngSize(png);
  assert.ok(Math.abs(p.width - s.width) <= 1 && Math.abs(p.height - s.height) <= 1);
});

test('renderChart test-accuracy groups=2 seeds=3 scale=2: group names, figures and parameter counts drawn', async () => {
  const runs = [
    { group: 'baseline', accuracies: [0.981, 0.984, 0.987] },
    { group: 'dropout, training.learning-rate=0.01', accuracies: [0.99, 0.992, 0.997] },
  ].flatMap((g) =>
    g.accuracies.map((accuracy, s) => syntheticRun({ name: `${g.group}, seed=${s + 1}`, group: g.group, accuracy })),
  );
  const { svg, png } = await renderChart(testAccuracySpec(runs), { scale: 2 });
  assert.ok(svg && png);
  for (const text of [
    'LeNet-5: test accuracy per group',
    'baseline',
    'dropout, training.learning-rate=0.01',
    '98.40% ± 0.30',
    '99.30% ± 0.36',
    '61,706 params',
    'Test accuracy (%)',
  ]) {
    assert.ok(svg.includes(text), text);
  }
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  const s = svgSize(svg);
  // 360 wide plot, the group names on its left and two columns of figures on its right.
  assert.ok(s.width > 600 && s.width < 1000, `svg width ${s.width}`);
  assert.ok(s.height > 100 && s.height < 300, `svg height ${s.height}`);
  const p = pngSize(png);
  assert.ok(Math.abs(p.width - 2 * s.width) <= 1 && Math.abs(p.height - 2 * s.height) <= 1);
});

test('renderChart test-accuracy runs=1: one bar, no whisker', async () => {
  const { svg } = await renderChart(testAccuracySpec([syntheticRun({ name: 'LeNet-5', group: 'default', accuracy: 0.9879 })]), {
    formats: ['svg'],
  });
  assert.ok(svg);
  assert.ok(svg.includes('98.79%') && svg.includes('61,706 params') && !svg.includes('±'));
});

test('renderChart is deterministic: same spec, same bytes, also when renders overlap', async () => {
  const spec = accuracySpec([syntheticRun()]);
  const other = confusionSpec([syntheticRun()]);
  const first = await renderChart(spec);
  const [second, , third] = await Promise.all([renderChart(spec), renderChart(other), renderChart(spec)]);
  assert.equal(second.svg, first.svg);
  assert.equal(third.svg, first.svg);
  assert.deepEqual(second.png, first.png);
  assert.deepEqual(third.png, first.png);
});

test('renderChart formats=[svg]: no PNG; formats=[png]: no SVG', async () => {
  const spec = lossSpec([syntheticRun({ epochs: 2 })]);
  const a = await renderChart(spec, { formats: ['svg'] });
  assert.ok(a.svg && a.png === undefined);
  const b = await renderChart(spec, { formats: ['png'] });
  assert.ok(b.png && b.svg === undefined);
});

test('renderChart refuses a spec that loads data from a URL and a scale out of range', async () => {
  const remote: TopLevelSpec = { data: { url: 'https://example.com/data.json' }, mark: 'point' };
  await assert.rejects(
    renderChart(remote),
    (e: unknown) => e instanceof ChartsError && e.code === 'REMOTE_DATA' && e.message.includes('example.com'),
  );
  await assert.rejects(renderChart(lossSpec([syntheticRun()]), { scale: 10 }), /Charts\/scale: must be <= 4 \(got 10\)/);
});

test('curves skip a run that diverged in its first epoch (no history); with no curve at all, the error says so', () => {
  const diverged = syntheticRun({ name: 'boom', epochs: 0 });
  const points = (lossSpec([syntheticRun({ name: 'ok', epochs: 3 }), diverged]) as unknown as { data: { values: { run: string }[] } }).data.values;
  assert.ok(points.length > 0 && points.every((p) => p.run === 'ok'));
  assert.throws(() => lossSpec([diverged]), (e: unknown) => e instanceof ChartsError && /no run has a complete epoch/.test(e.message));
});

test('a chart of many runs says how many under the title instead of a cut-off list of names', () => {
  const runs = Array.from({ length: 9 }, (_, i) => syntheticRun({ name: `batch-size=${16 * (i + 1)}, learning-rate=0.001` }));
  const title = (lossSpec(runs) as unknown as { title: { subtitle: string } }).title;
  assert.equal(title.subtitle, '9 runs');
  const two = (lossSpec(runs.slice(0, 2)) as unknown as { title: { subtitle: string } }).title;
  assert.equal(two.subtitle, 'runs: batch-size=16, learning-rate=0.001, batch-size=32, learning-rate=0.001');
});
