import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { FASHION_CLASSES, syntheticRun } from '../../testing';
import { confusionCells, confusionSpec, groupThousands } from './confusion';

type Cell = { run: string; actual: string; predicted: string; count: number; dark: boolean };
const json = (x: unknown) => JSON.parse(JSON.stringify(x));

test('confusionSpec classes=10: 100 cells holding confusion[true][predicted], classes in order on both axes', () => {
  const run = syntheticRun();
  const spec = json(confusionSpec([run]));
  const cells: Cell[] = spec.data.values;
  assert.equal(cells.length, 100);
  const m = run.metrics;
  for (const c of cells) {
    assert.equal(c.count, m.confusion[m.classes.indexOf(c.actual)][m.classes.indexOf(c.predicted)]);
  }
  assert.equal(cells.find((c) => c.actual === '9' && c.predicted === '8')?.count, 61);
  assert.equal(spec.encoding.x.field, 'predicted');
  assert.equal(spec.encoding.x.title, 'Predicted class');
  assert.deepEqual(spec.encoding.x.sort, m.classes);
  assert.equal(spec.encoding.y.field, 'actual');
  assert.equal(spec.encoding.y.title, 'True class');
  assert.deepEqual(spec.encoding.y.sort, m.classes);
  const [rect, text] = spec.layer;
  assert.equal(rect.mark.type, 'rect');
  assert.equal(rect.encoding.color.field, 'count');
  assert.equal(text.mark.type, 'text');
  assert.equal(text.encoding.text.field, 'count');
  assert.equal(spec.width, spec.height);
  assert.equal(spec.title.text, `LeNet-5: confusion matrix, ${groupThousands(m.samples)} test images`);
});

test('confusionCells: white text only on the dark (diagonal) cells, near-black on the light ones', () => {
  const run = syntheticRun();
  const cells = confusionCells(run.name, run.metrics);
  assert.ok(cells.filter((c) => c.actual === c.predicted).every((c) => c.dark));
  assert.ok(cells.filter((c) => c.count < 100).every((c) => !c.dark));
});

test('confusionSpec classes=fashion-mnist: long names get angled labels', () => {
  const spec = json(confusionSpec([syntheticRun({ classes: FASHION_CLASSES })]));
  assert.equal(spec.data.values.length, 100);
  assert.notEqual(spec.encoding.x.axis.labelAngle, 0);
});

test('confusionSpec classes=2: 4 cells', () => {
  const spec = json(confusionSpec([syntheticRun({ classes: ['cat', 'dog'] })]));
  const cells: Cell[] = spec.data.values;
  assert.deepEqual(
    cells.map((c) => [c.actual, c.predicted]),
    [
      ['cat', 'cat'],
      ['cat', 'dog'],
      ['dog', 'cat'],
      ['dog', 'dog'],
    ],
  );
});

test('confusionSpec runs=3: one matrix per run, each with its own data and title', () => {
  const runs = [syntheticRun({ name: 'a' }), syntheticRun({ name: 'b' }), syntheticRun({ name: 'c', classes: ['x', 'y', 'z'] })];
  const spec = json(confusionSpec(runs));
  assert.equal(spec.concat.length, 3);
  assert.deepEqual(
    spec.concat.map((s: { title: { text: string }; data: { values: Cell[] } }) => [s.title.text, s.data.values.length]),
    [
      ['a', 100],
      ['b', 100],
      ['c', 9],
    ],
  );
});

test('confusionSpec without metrics or with a ragged matrix: ChartsError naming the run', () => {
  const { metrics: _unused, ...noMetrics } = syntheticRun({ name: 'trained-only' });
  assert.throws(
    () => confusionSpec([noMetrics]),
    (e: unknown) => e instanceof ChartsError && e.code === 'NO_METRICS' && e.message.includes("'trained-only'"),
  );
  const bad = syntheticRun({ classes: ['a', 'b', 'c'] });
  bad.metrics.confusion[1] = [1, 2];
  assert.throws(
    () => confusionSpec([bad]),
    (e: unknown) => e instanceof ChartsError && e.code === 'BAD_CONFUSION',
  );
});

test('groupThousands', () => {
  assert.deepEqual([0, 999, 1000, 9892, 60000, 1234567].map(groupThousands), [
    '0',
    '999',
    '1,000',
    '9,892',
    '60,000',
    '1,234,567',
  ]);
});
