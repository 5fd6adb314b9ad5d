import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline, PROFILES } from './index';
import { TINY_PIPELINE } from './testing';

test('the quick profile reduces every run: limits, one epoch, a small probe; the pipeline says which profile', () => {
  const quick = parsePipeline(TINY_PIPELINE, 'p.yaml', undefined, 'quick');
  assert.equal(quick.profile, 'quick');
  assert.deepEqual(quick.overrides, PROFILES.quick);
  assert.deepEqual(quick.config.dataset.limit, { train: 1000, test: 300 });
  assert.equal(quick.config.training.epochs, 1);
  assert.equal(quick.config.evaluate['probe-size'], 8);
  assert.equal(parsePipeline(TINY_PIPELINE, 'p.yaml').profile, undefined);
});

test('keys the matrix sweeps are left to the runs, so they still differ as their labels say; variants are reduced too', () => {
  const text = `${TINY_PIPELINE}variants:
  short: { training: { epochs: 2 } }
  long: { training: { epochs: 5 } }
matrix:
  dataset.limit.train: [500, 2000]
`;
  const quick = parsePipeline(text, 'p.yaml', undefined, 'quick');
  assert.deepEqual(
    quick.runs.map((r) => [r.label, r.config.training.epochs, r.config.dataset.limit]),
    [
      ['short, train=500', 1, { train: 500, test: 300 }],
      ['short, train=2000', 1, { train: 2000, test: 300 }],
      ['long, train=500', 1, { train: 500, test: 300 }],
      ['long, train=2000', 1, { train: 2000, test: 300 }],
    ],
  );
});

test('TRAINYARD_OVERRIDES is merged after the profile', () => {
  const both = parsePipeline(TINY_PIPELINE, 'p.yaml', '{training: {epochs: 2}}', 'quick');
  assert.equal(both.config.training.epochs, 2);
  assert.deepEqual(both.config.dataset.limit, { train: 1000, test: 300 });
});

test('an unknown profile is one line naming the ones there are', () => {
  assert.throws(() => parsePipeline(TINY_PIPELINE, 'p.yaml', undefined, 'fast'), { message: "--profile: no profile 'fast' (there is quick)" });
});
