import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { syntheticRun } from '../../testing';
import { accuracySpec } from './accuracy';

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

test('accuracySpec runs=1 epochs=6: 12 points in percent, y axis titled in %', () => {
  const run = syntheticRun({ epochs: 6 });
  const spec = json(accuracySpec([run]));
  const rows: { split: string; epoch: number; value: number }[] = spec.data.values;
  assert.equal(rows.length, 12);
  const last = run.history.epochs[5];
  const at6 = rows.filter((r) => r.epoch === 6);
  assert.ok(Math.abs(at6[0].value - last.trainAccuracy * 100) < 1e-9);
  assert.ok(Math.abs(at6[1].value - last.valAccuracy * 100) < 1e-9);
  assert.ok(rows.every((r) => r.value > 1 && r.value <= 100));
  assert.equal(spec.encoding.y.title, 'Accuracy (%)');
  // Accuracy lives in a narrow band near 100%: the axis fits the data instead of starting at 0.
  assert.equal(spec.encoding.y.scale.zero, false);
  assert.equal(spec.title.text, 'LeNet-5: accuracy per epoch');
});

test('accuracySpec runs=2: colour by run, dash by split', () => {
  const spec = json(accuracySpec([syntheticRun({ name: 'a' }), syntheticRun({ name: 'b', model: 'MLP' })]));
  assert.equal(spec.layer[0].encoding.color.field, 'run');
  assert.equal(spec.layer[0].encoding.detail.field, 'split');
  assert.equal(spec.layer[0].encoding.strokeDash.condition.test, "datum.split === 'train'");
  assert.equal(spec.title.text, 'LeNet-5 vs MLP: accuracy per epoch');
});

test('accuracySpec groups=2 seeds=2: colour by group, the mean over seeds', () => {
  const runs = ['a', 'b'].flatMap((group) => [1, 2].map((seed) => syntheticRun({ name: `${group}${seed}`, group, seed })));
  const line = json(accuracySpec(runs)).layer[0];
  assert.equal(line.encoding.color.field, 'group');
  assert.deepEqual(line.encoding.color.sort, ['a', 'b']);
  assert.equal(line.encoding.y.aggregate, 'mean');
  assert.equal(line.encoding.detail.field, 'split');
});
