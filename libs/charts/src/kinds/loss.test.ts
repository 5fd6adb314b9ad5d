import { strict as assert } from 'node:assert';
import { renderChart } from '../render';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import type { ChartRun } from '../types';
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
  // A line per run and split, the train one dashed.
  assert.equal(line.encoding.detail.field, 'split');
  assert.deepEqual(line.encoding.strokeDash, { condition: { test: "datum.split === 'train'", value: [6, 4] }, value: [1, 0] });
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
  // The mean over a group's seeds, not one line per seed: a line per group and split.
  assert.deepEqual(line.encoding.y, { field: 'value', type: 'quantitative', aggregate: 'mean' });
  assert.equal(line.encoding.detail.field, 'split');
  assert.equal(line.encoding.strokeDash.condition.test, "datum.split === 'train'");
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
  assert.equal(spec.layer[0].encoding.detail.field, 'split');
});

test('lossSpec epochs=40: no point markers, only the line layer and the layer of no marks that draws the split legend', () => {
  const spec = json(lossSpec([syntheticRun({ epochs: 40 })]));
  assert.deepEqual(
    spec.layer.map((l: { mark: { type: string }; transform?: unknown }) => [l.mark.type, l.transform]),
    [
      ['line', undefined],
      ['point', [{ filter: 'false' }]],
    ],
  );
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

/** Each drawn point's outline (its path's d), by the split its tooltip names. */
function pointShapes(svg: string): Map<string, Set<string>> {
  const shapes = new Map<string, Set<string>>();
  for (const [path] of svg.matchAll(/<path aria-label="[^"]*"[^>]*aria-roledescription="point"[^>]*>/g)) {
    const split = /split: (\w+)/i.exec(path)?.[1] ?? 'unnamed';
    const d = /\sd="([^"]*)"/.exec(path)![1];
    shapes.set(split, (shapes.get(split) ?? new Set()).add(d));
  }
  return shapes;
}

/** The entries of the legend titled `title`: each one's label and its symbol's outline. */
function legendEntries(svg: string, title: string): { label: string; d: string }[] {
  const start = svg.indexOf(`aria-label="Symbol legend titled '${title}'`);
  assert.ok(start >= 0, `a legend titled ${title}`);
  const part = svg.slice(start, svg.indexOf('role-legend-title', start));
  const ds = [...part.matchAll(/role-legend-symbol"[^>]*><path [^>]*?\sd="([^"]*)"/g)].map((m) => m[1]);
  const labels = [...part.matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]*)</g)].map((m) => m[1]);
  return labels.map((label, i) => ({ label, d: ds[i] }));
}

test('one epoch (a quick run): no line to draw, so train and validation are points of two shapes, and the legend shows each', async () => {
  const cases: [string, ChartRun[], number][] = [
    ['one run', [syntheticRun({ epochs: 1 })], 1],
    ['three runs', ['a', 'b', 'c'].map((name, i) => syntheticRun({ name, epochs: 1, offset: i / 50 })), 3],
    ['2 groups x 2 seeds', ['a', 'b'].flatMap((group) => [1, 2].map((seed) => syntheticRun({ name: `${group}${seed}`, group, seed, epochs: 1 }))), 2],
  ];
  for (const [what, runs, series] of cases) {
    const { svg } = await renderChart(lossSpec(runs), { formats: ['svg'] });
    const shapes = pointShapes(svg!);
    assert.deepEqual([...shapes.keys()], ['train', 'validation'], `${what}: every point names its split`);
    const [train, validation] = [[...shapes.get('train')!], [...shapes.get('validation')!]];
    assert.ok(train.length === 1 && validation.length === 1 && train[0] !== validation[0], `${what}: one shape per split, two shapes: ${train} / ${validation}`);
    assert.equal((svg!.match(/aria-roledescription="point"/g) ?? []).length, 2 * series, `${what}: a point per series and split`);
    // The legend draws the very shapes the points have.
    assert.deepEqual(legendEntries(svg!, 'Split'), [
      { label: 'train', d: train[0] },
      { label: 'validation', d: validation[0] },
    ]);
  }
});

test('a few epochs: markers shaped by split on the lines, a run stopped after one epoch included; the legend draws each split as its line with its marker', async () => {
  const runs = [syntheticRun({ name: 'a', epochs: 4 }), syntheticRun({ name: 'b', epochs: 4, offset: 0.02 }), syntheticRun({ name: 'stopped', epochs: 1, offset: 0.1 })];
  const { svg } = await renderChart(lossSpec(runs), { formats: ['svg'] });
  const shapes = pointShapes(svg!);
  assert.deepEqual([...shapes.keys()], ['train', 'validation']);
  assert.equal(shapes.get('train')!.size, 1);
  assert.equal(shapes.get('validation')!.size, 1);
  assert.notDeepEqual(shapes.get('train'), shapes.get('validation'));
  const [train, validation] = legendEntries(svg!, 'Split');
  assert.deepEqual([train.label, validation.label], ['train', 'validation']);
  // Each symbol is a stretch of line (from the symbol's left edge, 24 pixels wide) with the marker on it; the two differ.
  assert.notEqual(train.d, validation.d);
  for (const { d } of [train, validation]) assert.match(d, /^M-12,0L/);
});
