import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChartsError } from '../errors';
import { syntheticRun } from '../../testing';
import { accuracyDomain, testAccuracySpec, type AccuracyBar, type AccuracyDot } from './test-accuracy';

const json = (x: unknown) => JSON.parse(JSON.stringify(x));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

/** Two groups of three seeds, test accuracies chosen so that mean and std are easy by hand. */
function twoGroups() {
  const groups = [
    { group: 'baseline', accuracies: [0.981, 0.984, 0.987], params: 61_706 },
    { group: 'dropout, training.learning-rate=0.01', accuracies: [0.99, 0.992, 0.997], params: 62_170 },
  ];
  return groups.flatMap((g) =>
    g.accuracies.map((accuracy, s) =>
      syntheticRun({ name: `${g.group}, seed=${s + 1}`, group: g.group, accuracy, params: g.params, seed: s + 1 }),
    ),
  );
}

test('testAccuracySpec groups=2 seeds=3: 2 bars with mean and sample std, whiskers mean ± std, 6 dots', () => {
  const spec = json(testAccuracySpec(twoGroups()));
  const [barLayer, whiskers, dotLayer, accuracyColumn, paramsColumn] = spec.layer;
  const bars: AccuracyBar[] = barLayer.data.values;
  assert.deepEqual(
    bars.map((b) => [b.group, b.n]),
    [
      ['baseline', 3],
      ['dropout, training.learning-rate=0.01', 3],
    ],
  );
  // baseline: 98.1, 98.4, 98.7 -> mean 98.4; deviations -0.3, 0, 0.3 -> (0.09 + 0 + 0.09) / (3 - 1) = 0.09 -> std 0.3
  close(bars[0].mean, 98.4, 'baseline mean');
  close(bars[0].std as number, 0.3, 'baseline std');
  close(bars[0].low as number, 98.1, 'baseline low');
  close(bars[0].high as number, 98.7, 'baseline high');
  // dropout: 99.0, 99.2, 99.7 -> mean 99.3; deviations -0.3, -0.1, 0.4 -> (0.09 + 0.01 + 0.16) / 2 = 0.13
  close(bars[1].mean, 99.3, 'dropout mean');
  close(bars[1].std as number, Math.sqrt(0.13), 'dropout std');
  assert.deepEqual(
    bars.map((b) => [b.accuracyText, b.paramsText]),
    [
      ['98.40% ± 0.30', '61,706 params'],
      ['99.30% ± 0.36', '62,170 params'],
    ],
  );
  // Horizontal bars: groups on y, in run order, with room for long names.
  assert.equal(barLayer.mark.type, 'bar');
  assert.equal(barLayer.encoding.x.field, 'mean');
  assert.equal(barLayer.encoding.y.field, 'group');
  assert.deepEqual(barLayer.encoding.y.sort, ['baseline', 'dropout, training.learning-rate=0.01']);
  assert.ok(barLayer.encoding.y.axis.labelLimit >= 300);
  assert.equal(barLayer.encoding.color.field, 'group');
  assert.equal(whiskers.mark.type, 'errorbar');
  assert.deepEqual([whiskers.encoding.x.field, whiskers.encoding.x2.field], ['low', 'high']);
  const dots: AccuracyDot[] = dotLayer.data.values;
  assert.equal(dots.length, 6);
  close(dots[5].value, 99.7, 'last dot');
  assert.equal(accuracyColumn.encoding.text.field, 'accuracyText');
  assert.equal(paramsColumn.encoding.text.field, 'paramsText');
  // The axis is fitted to the whiskers and dots, and the subtitle says the bars do not start at 0.
  const [lo, hi] = barLayer.encoding.x.scale.domain;
  assert.ok(lo > 90 && lo <= 98.1 && hi >= 99.7 && hi <= 100, `domain [${lo}, ${hi}]`);
  assert.equal(spec.title.text, 'LeNet-5: test accuracy per group');
  assert.deepEqual(spec.title.subtitle, [
    '6 runs: 2 groups × 3 seeds',
    `bars: mean, whiskers: ± 1 sample standard deviation, dots: runs · bars start at ${lo}%`,
  ]);
});

test('testAccuracySpec runs=1: one bar from 0, no whisker, no dots', () => {
  const spec = json(testAccuracySpec([syntheticRun({ name: 'LeNet-5', group: 'default', accuracy: 0.9879 })]));
  const [barLayer, whiskers, dotLayer] = spec.layer;
  const bars: AccuracyBar[] = barLayer.data.values;
  assert.equal(bars.length, 1);
  // A pipeline without sweeps has the group 'default'; the bar is named after the run instead.
  assert.equal(bars[0].group, 'LeNet-5');
  close(bars[0].mean, 98.79, 'mean');
  assert.equal(bars[0].std, null);
  assert.equal(bars[0].accuracyText, '98.79%');
  assert.equal(bars[0].paramsText, '61,706 params');
  assert.deepEqual(whiskers.transform, [{ filter: 'datum.std !== null' }]);
  assert.deepEqual(dotLayer.data.values, []);
  assert.deepEqual(barLayer.encoding.x.scale.domain, [0, 100]);
  assert.equal(spec.title.text, 'LeNet-5: test accuracy');
});

test('testAccuracySpec runs=3 without repeats: one bar per run, named and coloured by run', () => {
  const runs = ['m0', 'm1', 'm2'].map((name, i) => syntheticRun({ name, accuracy: 0.98 + 0.003 * i }));
  const spec = json(testAccuracySpec(runs));
  const bars: AccuracyBar[] = spec.layer[0].data.values;
  assert.deepEqual(
    bars.map((b) => [b.group, b.std]),
    [
      ['m0', null],
      ['m1', null],
      ['m2', null],
    ],
  );
  assert.equal(spec.layer[0].encoding.color.field, 'group');
  assert.deepEqual(spec.layer[2].data.values, []);
});

test('testAccuracySpec without metrics: ChartsError naming the run', () => {
  const { metrics: _unused, ...noMetrics } = syntheticRun({ name: 'trained-only' });
  assert.throws(
    () => testAccuracySpec([noMetrics]),
    (e: unknown) => e instanceof ChartsError && e.code === 'NO_METRICS' && /'trained-only'.*'test-accuracy'/.test(e.message),
  );
});

test('accuracyDomain: margin around the data, round ends, within [0, 100]', () => {
  const bar = (mean: number, std?: number): AccuracyBar => ({
    group: String(mean),
    n: std === undefined ? 1 : 3,
    mean,
    std: std ?? null,
    low: std === undefined ? null : mean - std,
    high: std === undefined ? null : mean + std,
    accuracyText: '',
    paramsText: '',
  });
  // 98.1..99.66, margin 0.39 -> 97.71..100 (capped), 2.29 wide -> steps of 0.5 -> 97.5..100
  assert.deepEqual(accuracyDomain([bar(98.4, 0.3), bar(99.3, 0.36)], []), [97.5, 100]);
  // 98..98.6, margin 0.2 (the least) -> 97.8..98.8, 1 wide -> steps of 0.2, already on them
  assert.deepEqual(accuracyDomain([bar(98), bar(98.3), bar(98.6)], []), [97.8, 98.8]);
  // a dot below every bar widens the axis: 97..98.3, margin 0.325 -> 96.675..98.625 -> steps of 0.25 -> 96.5..98.75
  assert.deepEqual(accuracyDomain([bar(98), bar(98.3)], [{ group: '98', run: 'a', value: 97 }]), [96.5, 98.75]);
  assert.deepEqual(accuracyDomain([bar(10), bar(98)], []), [0, 100]);
  assert.deepEqual(accuracyDomain([bar(Number.NaN)], []), [0, 100]);
});
