import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline } from './index';
import { problems, TINY_PIPELINE } from './testing';

const base = TINY_PIPELINE.replace('training:\n', 'training:\n  epochs: 10\n');


test('overrides merge over every run last: over a variant, the matrix and the base', () => {
  const text = `${base}variants:\n  long: { training: { epochs: 30 } }\n  short: {}\nmatrix:\n  training.learning-rate: [0.1, 0.2]\n`;
  const p = parsePipeline(text, 'p.yaml', '{dataset: {limit: {train: 2000, test: 500}}, training: {epochs: 1}}');
  assert.equal(p.runs.length, 4);
  assert.deepEqual(p.runs.map((r) => r.config.training.epochs), [1, 1, 1, 1]);
  assert.deepEqual(p.runs.map((r) => r.config.training['learning-rate']), [0.1, 0.2, 0.1, 0.2], 'keys the overrides do not set stay');
  assert.deepEqual(p.runs.map((r) => r.label), ['long, learning-rate=0.1', 'long, learning-rate=0.2', 'short, learning-rate=0.1', 'short, learning-rate=0.2']);
  assert.equal(p.config.training.epochs, 1);
  assert.deepEqual(p.runs[0].config.dataset, { source: 'idx', path: 'data', limit: { train: 2000, test: 500 }, validation: 0.1, 'split-seed': 1, transforms: [] });
  assert.deepEqual(p.overrides, { dataset: { limit: { train: 2000, test: 500 } }, training: { epochs: 1 } });
  assert.equal(parsePipeline(base, 'p.yaml').overrides, undefined);
  assert.equal(parsePipeline(base, 'p.yaml', '').overrides, undefined, 'an empty variable is no overrides');
});

test('overrides may not replace what the matrix sweeps: the runs would all be the same', () => {
  assert.deepEqual(problems(`${base}matrix:\n  training.epochs: [3, 5]\n`, '{training: {epochs: 1}}'), [
    'TRAINYARD_OVERRIDES: training -> epochs: replaces what the matrix sweeps (training.epochs): its runs would no longer differ as their labels say',
  ]);
  const noisy = base.replace('dataset: { source: idx, path: data }', 'dataset:\n  source: idx\n  path: data\n  transforms: [{ type: noise, std: 0.1 }]');
  assert.deepEqual(problems(`${noisy}matrix:\n  dataset.transforms.0.std: [0.1, 0.2]\n`, '{dataset: {transforms: []}}'), [
    'TRAINYARD_OVERRIDES: dataset -> transforms: replaces what the matrix sweeps (dataset.transforms.0.std): its runs would no longer differ as their labels say',
  ]);
  assert.doesNotThrow(() => parsePipeline(`${noisy}matrix:\n  dataset.transforms.0.std: [0.1, 0.2]\n`, 'p.yaml', '{dataset: {limit: {train: 100}}}'));
});

test('a parsed value works as text does; a list the overrides replace gets its defaults', () => {
  const p = parsePipeline(base, 'p.yaml', { dataset: { transforms: [{ type: 'pad', to: 10 }] }, model: { input: [1, 10, 10] } });
  assert.deepEqual(p.runs[0].config.dataset.transforms, [{ type: 'pad', to: 10, value: 0 }]);
  assert.deepEqual(p.config.dataset.transforms, [{ type: 'pad', to: 10, value: 0 }]);
  assert.deepEqual(p.runs[0].config.model.input, [1, 10, 10]);
});

test('a bad override is one line naming TRAINYARD_OVERRIDES, with the usual message', () => {
  assert.deepEqual(problems(base, '{training: {epochs: 0}}'), ['TRAINYARD_OVERRIDES: training -> epochs: must be >= 1 (got 0)']);
  assert.deepEqual(problems(base, '{training: {epoch: 1}}'), ["TRAINYARD_OVERRIDES: training -> epoch: unknown key 'epoch' (did you mean 'epochs'?)"]);
  assert.deepEqual(problems(base, '{training: {momentum: 0.9}}'), [
    "TRAINYARD_OVERRIDES: training -> momentum: momentum applies to optimizer sgd (got adam); Adam's are beta1 and beta2",
  ]);
  assert.deepEqual(problems(base, '{seeds: [1, 2]}'), [
    "TRAINYARD_OVERRIDES: seeds: unknown key 'seeds' (expected one of: dataset, model, training, export, evaluate, charts)",
  ]);
  assert.deepEqual(problems(base, '{training: 3}'), ['TRAINYARD_OVERRIDES: training: must be a mapping (got 3)']);
  assert.deepEqual(problems(base, '[1, 2]'), ['TRAINYARD_OVERRIDES: must be a mapping (got [1,2])']);
  assert.match(problems(base, '{training: {epochs: 1}')[0], /^TRAINYARD_OVERRIDES: not valid YAML: /);
  assert.equal(problems(base, '{training: {epochs: 1}').length, 1);
});

test("the file's own problems come before the overrides'", () => {
  assert.deepEqual(problems(base.replace('learning-rate: 0.001', 'learning-rate: -1'), { training: { epochs: 0 } }), [
    'p.yaml:9:18 training -> learning-rate: must be > 0 (got -1)',
    'TRAINYARD_OVERRIDES: training -> epochs: must be >= 1 (got 0)',
  ]);
});

test('the file is checked as written too: an override does not hide its mistakes, and each problem says which of the two it comes from', () => {
  const five = base.replace('epochs: 10', 'epochs: five');
  assert.deepEqual(problems(five, '{training: {epochs: 1}}'), [
    'p.yaml:8:11 training -> epochs: must be an integer (got "five") (in the file as written; TRAINYARD_OVERRIDES hides it)',
  ]);
  // Only with the overrides: a value of the file that no longer fits what the overrides set.
  const sgd = base.replace('training:\n', 'training:\n  optimizer: sgd\n  momentum: 0.9\n');
  assert.doesNotThrow(() => parsePipeline(sgd, 'p.yaml'));
  assert.deepEqual(problems(sgd, '{training: {optimizer: adam}}'), [
    "p.yaml:9:13 training -> momentum: momentum applies to optimizer sgd (got adam); Adam's are beta1 and beta2 (with TRAINYARD_OVERRIDES)",
  ]);
  // Wrong both ways: the file's problem, with no note.
  assert.deepEqual(problems(base.replace('learning-rate: 0.001', 'learning-rate: -1'), '{training: {epochs: 1}}'), ['p.yaml:9:18 training -> learning-rate: must be > 0 (got -1)']);
});
