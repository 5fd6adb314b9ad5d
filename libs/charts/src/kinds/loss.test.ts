import { strict as assert } from 'node:assert';
import { renderChart } from '../render';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { lossSpec } from './loss';

type Row = { run: string; split: string; epoch: number; value: number | null };
// The specs are plain JSON; tests read them as such rather than through Vega-Lite's unions.
const json = (x: unknown) => JSON.parse(JSON.stringify(x));

test('lossSpec runs=1 epochs=10: 20 points, train and validation loss per epoch, colour by split', () => {
  const run = syntheticRun({ epochs: 10 });
  const spec = json(lossSpec([run]));
  const rows: Row[] = spec.data.values;
  assert.equal(rows.length, 20);
  for (const e of run.history.epochs) {
    assert.deepEqual(
      rows.filter((r) => r.epoch === e.epoch).map((r) => [r.split, r.value]),
      [
        ['train', e.trainLoss],
        ['validation', e.valLoss],
      ],
    );
  }
  assert.equal(spec.encoding.x.field, 'epoch');
  assert.equal(spec.encoding.x.title, 'Epoch');
  assert.equal(spec.encoding.y.field, 'value');
  assert.equal(spec.encoding.y.title, 'Cross-entropy loss (nats)');
  const line = spec.layer[0];
  assert.equal(line.mark.type, 'line');
  assert.equal(line.encoding.color.field, 'split');
  assert.deepEqual(line.encoding.color.scale.domain, ['train', 'validation']);
  assert.equal(line.encoding.strokeDash, undefined);
});

test('lossSpec runs=1: title names the model, subtitle the pipeline; fixed size, white, DejaVu Sans', () => {
  const spec = json(lossSpec([syntheticRun({ name: 'lenet-l2', model: 'LeNet-5' })]));
  assert.equal(spec.title.text, 'LeNet-5: loss per epoch');
  assert.match(spec.title.subtitle, /pipeline lenet-l2/);
  assert.equal(spec.width, 480);
  assert.equal(spec.height, 300);
  assert.equal(spec.config.background, 'white');
  assert.equal(spec.config.font, 'DejaVu Sans');
});

test('lossSpec runs=3 epochs=4: 24 points, colour by run, dash by split', () => {
  const runs = [
    syntheticRun({ name: 'a', epochs: 4 }),
    syntheticRun({ name: 'b', epochs: 4 }),
    syntheticRun({ name: 'c', epochs: 4 }),
  ];
  const spec = json(lossSpec(runs));
  assert.equal(spec.data.values.length, 24);
  const line = spec.layer[0];
  assert.equal(line.encoding.color.field, 'run');
  assert.deepEqual(line.encoding.color.sort, ['a', 'b', 'c']);
  assert.equal(line.encoding.strokeDash.field, 'split');
  assert.match(spec.title.subtitle, /runs: a, b, c/);
});

test('lossSpec groups=3 seeds=3: 3 colours, a line per group and split at the mean over seeds in a ± 1 std band, dash by split', async () => {
  const groups = ['baseline', 'dropout', 'batchnorm, training.learning-rate=0.003'];
  const runs = groups.flatMap((group) =>
    [1, 2, 3].map((seed) => syntheticRun({ name: `${group}, seed=${seed}`, group, seed, epochs: 5 })),
  );
  const spec = json(lossSpec(runs));
  assert.equal(spec.data.values.length, 90);
  assert.deepEqual(spec.data.values[0], {
    run: 'baseline, seed=1',
    group: 'baseline',
    split: 'train',
    epoch: 1,
    value: runs[0].history.epochs[0].trainLoss,
  });
  const [line, band, markers] = spec.layer;
  assert.equal(line.encoding.color.field, 'group');
  assert.equal(line.encoding.color.title, 'Group');
  assert.deepEqual(line.encoding.color.sort, groups);
  // The mean over a group's seeds, not one line per seed.
  assert.deepEqual(line.encoding.y, { field: 'value', type: 'quantitative', aggregate: 'mean' });
  assert.equal(line.encoding.detail, undefined);
  assert.equal(line.encoding.strokeDash.field, 'split');
  assert.deepEqual([band.mark.type, band.mark.extent, band.encoding.color.field, band.encoding.detail.field], ['errorband', 'stdev', 'group', 'split']);
  assert.equal(markers.encoding.color.field, 'group');
  assert.equal(markers.encoding.y.aggregate, 'mean');
  // Drawn: 3 groups x 2 splits mean lines, 6 bands.
  const { svg } = await renderChart(spec, { formats: ['svg'] });
  assert.equal((svg!.match(/<g class="mark-line role-mark/g) ?? []).length, 6);
  assert.equal((svg!.match(/<g class="mark-area role-mark/g) ?? []).length, 6);
  // Long group names stay whole in the legend.
  assert.ok(line.encoding.color.legend.labelLimit >= 300);
  assert.equal(spec.title.subtitle, '9 runs: 3 groups × 3 seeds');
});

test('lossSpec runs=2 in one group each: colour by run, as before', () => {
  const spec = json(lossSpec([syntheticRun({ name: 'a', group: 'a' }), syntheticRun({ name: 'b', group: 'b' })]));
  assert.equal(spec.layer[0].encoding.color.field, 'run');
  assert.equal(spec.layer[0].encoding.detail, undefined);
});

test('lossSpec epochs=40: no point markers, only the line layer', () => {
  const spec = json(lossSpec([syntheticRun({ epochs: 40 })]));
  assert.equal(spec.layer.length, 1);
  assert.equal(spec.data.values.length, 80);
});

test('lossSpec diverged run: NaN and Infinity become null, so the line stops', () => {
  const run = syntheticRun({ epochs: 3 });
  run.history.epochs[2].trainLoss = Number.NaN;
  run.history.epochs[2].valLoss = Number.POSITIVE_INFINITY;
  const rows: Row[] = json(lossSpec([run])).data.values;
  assert.deepEqual(
    rows.slice(4).map((r) => r.value),
    [null, null],
  );
});

test('lossSpec rejects no runs, an empty history and two runs with one name', () => {
  assert.throws(
    () => lossSpec([]),
    (e: unknown) => e instanceof ChartsError && e.code === 'NO_RUNS',
  );
  const empty = { ...syntheticRun(), history: { epochs: [] } };
  assert.throws(
    () => lossSpec([empty]),
    (e: unknown) => e instanceof ChartsError && e.code === 'EMPTY_HISTORY',
  );
  assert.throws(
    () => lossSpec([syntheticRun({ name: 'x' }), syntheticRun({ name: 'x' })]),
    (e: unknown) => e instanceof ChartsError && e.code === 'DUPLICATE_RUN' && /two runs are named 'x'/.test(e.message),
  );
});
