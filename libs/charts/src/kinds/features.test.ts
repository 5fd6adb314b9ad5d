import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { renderChart } from '../render';
import type { ChartRun } from '../types';
import { featuresSpec, hasFeatures, mappedLayer } from './features';

const classes = ['zero', 'one', 'two'];

/** A run with a map of `n` points; point i has class i % 3 and is wrong when i is a multiple of 4. */
function mapped(name: string, role: 'best' | 'baseline', n: number, layer: { tensor: string; width: number } = { tensor: 'F6/Tanh', width: 84 }): ChartRun {
  const label = Array.from({ length: n }, (_, i) => i % 3);
  return {
    ...syntheticRun({ name }),
    features: { run: name, role, ...layer, x: label.map((_, i) => i), y: label.map((_, i) => -i), label, predicted: label.map((c, i) => (i % 4 === 0 ? (c + 1) % 3 : c)), classes },
  };
}

/** An MLP's run as run.json has it: its layers, the last with weights OUT. */
function mlp(name: string, role: 'best' | 'baseline', n: number): ChartRun {
  const r = mapped(name, role, n, { tensor: 'F1/Relu', width: 100 });
  const layers = [
    { id: 'flatten1', type: 'flatten', output: [784], params: 0 },
    { id: 'F1', type: 'dense', output: [100], params: 78_500 },
    { id: 'dropout1', type: 'dropout', output: [100], params: 0 },
    { id: 'OUT', type: 'dense', output: [10], params: 1010 },
  ];
  return { ...r, run: { ...r.run!, model: 'MLP', layers } };
}

test('one panel per mapped run, the best first, each point with its true and predicted class', async () => {
  const runs = [mapped('baseline', 'baseline', 5), syntheticRun({ name: 'unmapped' }), mapped('dropout', 'best', 6)];
  assert.ok(hasFeatures(runs));
  const spec = JSON.parse(JSON.stringify(featuresSpec(runs)));
  assert.deepEqual(spec.facet.column.sort, ['the best run: dropout', 'the baseline']);
  assert.equal(spec.data.values.length, 6 + 5);
  type Point = { panel: string; image: number; result: string };
  assert.deepEqual(spec.data.values.find((v: Point) => v.panel === 'the best run: dropout' && v.image === 4), { panel: 'the best run: dropout', x: 4, y: -4, class: 'one', predicted: 'two', result: 'wrong', image: 4 });
  // The mistakes in the last layer, drawn over the rest.
  assert.deepEqual(spec.spec.layer.map((l: { transform: { filter: string }[] }) => l.transform[0].filter), ["datum.result === 'right'", "datum.result === 'wrong'"]);
  assert.equal(spec.data.values.filter((v: Point) => v.result === 'wrong').length, 2 + 2);
  assert.equal(spec.title.text, 'LeNet-5: layer F6 on the test images, in 2-D (UMAP)');
  assert.match(spec.title.subtitle, /^the 84 values it passes to the last layer, for the first 6 test images; a cross: misclassified$/);
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('the baseline') && svg!.includes('True class'));
});

test('no mapped run: a clear error, and the chart is left out', () => {
  assert.ok(!hasFeatures([syntheticRun()]));
  assert.throws(() => featuresSpec([syntheticRun()]), (e: unknown) => e instanceof ChartsError && e.code === 'NO_FEATURES');
});

test("titled with the mapped layer's id from the pipeline, not the ONNX node's name, and the layer that reads it", () => {
  const spec = JSON.parse(JSON.stringify(featuresSpec([mlp('MLP', 'best', 5)])));
  assert.equal(spec.title.text, 'MLP: layer F1 on the test images, in 2-D (UMAP)');
  assert.equal(spec.title.subtitle, 'the 100 values it passes to OUT, the last layer, for the first 5 test images; a cross: misclassified');
  assert.ok(!JSON.stringify(spec.title).includes('Relu'), JSON.stringify(spec.title));
  assert.equal(mappedLayer('F1/Relu'), 'F1');
  // A tensor the run's layers do not know (the model's input) keeps its name.
  assert.equal(mappedLayer('input', mlp('m', 'best', 1).run), 'input');
});

test('runs of two models mapped at layers of their own: each panel names its layer', () => {
  const spec = JSON.parse(JSON.stringify(featuresSpec([mapped('lenet', 'best', 4), mlp('baseline', 'baseline', 4)])));
  assert.deepEqual(spec.facet.column.sort, ['the best run: lenet (F6, 84 values)', 'the baseline (F1, 100 values)']);
  assert.equal(spec.title.text, 'LeNet-5: the last hidden layer on the test images, in 2-D (UMAP)');
});

test('no point is cut at the edges of its panel: the outermost sit clear of them by more than a cross is wide', async () => {
  // The points span each axis from end to end: without room at the edges the extremes sit on them.
  const { svg } = await renderChart(featuresSpec([mapped('dropout', 'best', 60), mapped('baseline', 'baseline', 45)]), { formats: ['svg'] });
  const at = [...svg!.matchAll(/aria-roledescription="(?:circle|point)" transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(at.length, 60 + 45);
  // A cross of size 70 reaches about 5 pixels from its centre; panels are 340 pixels square.
  const [lo, hi] = [Math.min(...at.flat()), Math.max(...at.flat())];
  assert.ok(lo >= 6 && hi <= 340 - 6, `points from ${lo} to ${hi} pixels in a 340-pixel panel`);
});
