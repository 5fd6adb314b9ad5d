import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { renderChart } from '../render';
import type { ChartRun } from '../types';
import { featuresSpec, hasFeatures } from './features';

const classes = ['zero', 'one', 'two'];

/** A run with a map of `n` points; point i has class i % 3 and is wrong when i is a multiple of 4. */
function mapped(name: string, role: 'best' | 'baseline', n: number): ChartRun {
  const label = Array.from({ length: n }, (_, i) => i % 3);
  return {
    ...syntheticRun({ name }),
    features: { run: name, role, tensor: 'F6/Tanh', width: 84, x: label.map((_, i) => i), y: label.map((_, i) => -i), label, predicted: label.map((c, i) => (i % 4 === 0 ? (c + 1) % 3 : c)), classes },
  };
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
  assert.match(spec.title.subtitle, /^'F6\/Tanh', the 84 values the last layer reads, of the first 6 test images/);
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.ok(svg!.includes('the baseline') && svg!.includes('True class'));
});

test('no mapped run: a clear error, and the chart is left out', () => {
  assert.ok(!hasFeatures([syntheticRun()]));
  assert.throws(() => featuresSpec([syntheticRun()]), (e: unknown) => e instanceof ChartsError && e.code === 'NO_FEATURES');
});
