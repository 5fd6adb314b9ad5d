import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline } from './index';
import { problems, TINY_PIPELINE } from './testing';
import { shortKeys } from './src/runs';

const base = TINY_PIPELINE;

test('no variants, matrix or seeds: one run, the base config, id default', () => {
  const p = parsePipeline(base, 'p.yaml');
  assert.deepEqual(p.runs.map((r) => [r.id, r.label, r.group]), [['default', 'default', 'default']]);
  assert.deepEqual(p.runs[0].config, p.config);
});

test('matrix x seeds: every combination, ids by position, labels by value', () => {
  const p = parsePipeline(`${base}matrix:\n  training.batch-size: [16, 32]\n  training.learning-rate: [0.01, 0.001]\nseeds: [7, 8]\n`, 'p.yaml');
  assert.equal(p.runs.length, 8);
  assert.deepEqual(p.runs.slice(0, 3).map((r) => r.id), ['m0-s0', 'm0-s1', 'm1-s0']);
  const r = p.runs[3];
  assert.equal(r.label, 'batch-size=16, learning-rate=0.001, seed=8');
  assert.equal(r.group, 'batch-size=16, learning-rate=0.001');
  assert.equal(r.config.training['batch-size'], 16);
  assert.equal(r.config.training['learning-rate'], 0.001);
  assert.equal(r.config.training.seed, 8);
  assert.equal(r.config.training.epochs, 10, 'defaults are filled in every run');
  assert.ok(!('matrix' in p.config) && !('seeds' in p.config));
});

test('editing one sweep value keeps every run id', () => {
  const ids = (values: string) => parsePipeline(`${base}matrix:\n  training.learning-rate: [${values}]\n`, 'p.yaml').runs.map((r) => r.id);
  assert.deepEqual(ids('0.01, 0.001'), ids('0.05, 0.001'));
});

test('variants merge over the base: mappings key by key, lists replace', () => {
  const p = parsePipeline(
    `${base}variants:\n  plain: {}\n  wide:\n    model: { layers: [ { type: flatten }, { type: dense, units: 32, activation: relu }, { type: dense, units: 10 } ] }\n    training: { epochs: 3 }\n`,
    'p.yaml',
  );
  assert.deepEqual(p.runs.map((r) => r.id), ['plain', 'wide']);
  const wide = p.runs[1].config;
  assert.equal(wide.model.layers.length, 3);
  assert.deepEqual(wide.model.input, [1, 8, 8]);
  assert.equal(wide.training.epochs, 3);
  assert.equal(wide.training['learning-rate'], 0.001, 'keys the variant does not set come from the base');
});


test("a bad value in a variant or the matrix points at where it was written, naming the run", () => {
  assert.deepEqual(problems(`${base}variants:\n  fast: { training: { learning-rate: -1 } }\n`), [
    'p.yaml:10:38 variants -> fast -> training -> learning-rate: must be > 0 (got -1) (run fast)',
  ]);
  assert.deepEqual(problems(`${base}matrix:\n  training.learning-rate: [0.01, -2]\n`), [
    'p.yaml:10:34 matrix -> training.learning-rate -> 1: must be > 0 (got -2) (run learning-rate=-2)',
  ]);
  assert.deepEqual(problems(`${base}matrix:\n  training.learning_rate: [0.1]\n`), [
    "p.yaml:10:28 matrix -> training.learning_rate -> 0: unknown key 'learning_rate' (did you mean 'learning-rate'?) (run learning_rate=0.1)",
  ]);
  assert.match(problems(`${base}matrix:\n  optimizer: [sgd]\n`)[0], /^p.yaml:10:3 matrix -> optimizer: must match /);
});

test('a matrix key may index into a list: a noise transform swept by std', () => {
  const doc = base.replace('dataset: { source: idx, path: data }', 'dataset:\n  source: idx\n  path: data\n  transforms:\n    - { type: pad, to: 10 }\n    - { type: noise, std: 0.1 }');
  const p = parsePipeline(`${doc}matrix:\n  dataset.transforms.1.std: [0.2, 0.3]\n`, 'p.yaml');
  assert.deepEqual(
    p.runs.map((r) => r.config.dataset.transforms.map((t) => ('std' in t ? t.std : t.type))),
    [['pad', 0.2], ['pad', 0.3]],
  );
  assert.deepEqual(p.runs.map((r) => r.label), ['noise.std=0.2', 'noise.std=0.3']);
});

test('a matrix key indexing past the end of a list is refused at the key', () => {
  assert.deepEqual(problems(`${base}matrix:\n  dataset.transforms.3.std: [0.2]\n`), [
    'p.yaml:10:3 matrix -> dataset.transforms.3.std: names a list item the configuration does not have (run transforms[3].std=0.2)',
  ]);
});

test('labels name matrix keys by their shortest suffix no other key shares', () => {
  assert.deepEqual(shortKeys(['training.learning-rate', 'training.batch-size']), ['learning-rate', 'batch-size']);
  assert.deepEqual(shortKeys(['dataset.transforms.1.std', 'dataset.transforms.2.std', 'training.seed']), ['1.std', '2.std', 'seed']);
  assert.deepEqual(shortKeys(['model.name', 'name']), ['model.name', 'name']);
});

test('a bad value swept into a list item points at the matrix entry', () => {
  const doc = base.replace('dataset: { source: idx, path: data }', 'dataset:\n  source: idx\n  path: data\n  transforms:\n    - { type: pad, to: 10 }\n    - { type: noise, std: 0.1 }');
  assert.deepEqual(problems(`${doc}matrix:\n  dataset.transforms.1.std: [-1]\n`), [
    'p.yaml:15:30 matrix -> dataset.transforms.1.std -> 0: must be >= 0 (got -1) (run noise.std=-1)',
  ]);
});

test('early stopping without a validation split is refused', () => {
  assert.deepEqual(problems(base.replace('dataset: { source: idx, path: data }', 'dataset: { source: idx, path: data, validation: 0 }').replace('training:\n', 'training:\n  early-stopping: {}\n')), [
    'p.yaml:8:19 training -> early-stopping: early stopping watches the validation split: set dataset -> validation above 0',
  ]);
});

const layered = `dataset: { source: idx, path: data }
model:
  input: [1, 8, 8]
  layers:
    - { type: flatten }
    - { id: H, type: dense, units: 16, activation: relu }
    - { id: DROP, type: dropout, rate: 0.1 }
    - { id: OUT, type: dense, units: 10 }
training:
  learning-rate: 0.001
`;

test('a matrix key may name a layer by its id, and the labels say which layer', () => {
  const p = parsePipeline(`${layered}matrix:\n  model.layers.DROP.rate: [0.25, 0.5]\n  training.learning-rate: [0.01]\n`, 'p.yaml');
  assert.deepEqual(p.runs.map((r) => (r.config.model.layers![2] as { rate: number }).rate), [0.25, 0.5]);
  assert.deepEqual(p.runs.map((r) => r.label), ['DROP.rate=0.25, learning-rate=0.01', 'DROP.rate=0.5, learning-rate=0.01']);
  // By position the same runs, labelled by the layer's id all the same.
  const byIndex = parsePipeline(`${layered}matrix:\n  model.layers.2.rate: [0.25, 0.5]\n  training.learning-rate: [0.01]\n`, 'p.yaml');
  assert.deepEqual(byIndex.runs.map((r) => [r.label, r.config.model.layers]), p.runs.map((r) => [r.label, r.config.model.layers]));
});

test('a layer inserted before the one a matrix names by id: the sweep still sets that layer', () => {
  const inserted = layered.replace('    - { id: DROP', '    - { id: H2, type: dense, units: 8, activation: relu }\n    - { id: DROP');
  const p = parsePipeline(`${inserted}matrix:\n  model.layers.DROP.rate: [0.3]\n`, 'p.yaml');
  assert.deepEqual(p.runs[0].config.model.layers![3], { id: 'DROP', type: 'dropout', rate: 0.3 });
});

test('a transform named by its type when only one has it; a name no item has is refused at the key', () => {
  const doc = base.replace('dataset: { source: idx, path: data }', 'dataset:\n  source: idx\n  path: data\n  transforms:\n    - { type: pad, to: 10 }\n    - { type: noise, std: 0.1 }');
  const p = parsePipeline(`${doc}matrix:\n  dataset.transforms.noise.std: [0.2]\n`, 'p.yaml');
  assert.deepEqual(p.runs[0].config.dataset.transforms!.map((t) => ('std' in t ? t.std : t.type)), ['pad', 0.2]);
  assert.deepEqual(problems(`${layered}matrix:\n  model.layers.DROPOUT.rate: [0.3]\n`), [
    'p.yaml:12:3 matrix -> model.layers.DROPOUT.rate: names a list item the configuration does not have (run layers[DROPOUT].rate=0.3)',
  ]);
});

test('a variant may set one value by a dotted key, naming a layer by its id; a name no layer has is refused where it is written', () => {
  const p = parsePipeline(`${layered}variants:\n  light: {}\n  heavy: { model.layers.DROP.rate: 0.5, training: { epochs: 3 } }\n`, 'p.yaml');
  assert.deepEqual(p.runs.map((r) => [r.id, (r.config.model.layers![2] as { rate: number }).rate, r.config.training.epochs]), [['light', 0.1, 10], ['heavy', 0.5, 3]]);
  assert.deepEqual(problems(`${layered}variants:\n  light: {}\n  heavy: { model.layers.DROPOUT.rate: 0.5 }\n`), [
    'p.yaml:13:12 variants -> heavy -> model.layers.DROPOUT.rate: names a list item the configuration does not have (run heavy)',
  ]);
  assert.deepEqual(problems(`${layered}variants:\n  light: {}\n  heavy: { model.layers.DROP.rate: 1 }\n`), [
    'p.yaml:13:36 variants -> heavy -> model.layers.DROP.rate: must be < 1 (got 1) (run heavy)',
  ]);
});
