import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline } from '../pipeline-file';
import { TINY_PIPELINE } from '../pipeline-file/testing';
import { lineageFiles, planPipeline, stageLineage, type StageFiles } from './index';

const base = TINY_PIPELINE;

const plan = (text: string) => planPipeline(parsePipeline(text, 'pipelines/p.yaml'));

test('one run: data, train, export, evaluate, features, charts with plain ids', () => {
  const p = plan(base);
  assert.deepEqual(p.stages.map((s) => [s.id, s.needs]), [
    ['data', []],
    ['train', ['data']],
    ['export', ['data', 'train']],
    ['evaluate', ['data', 'train', 'export']],
    ['features', ['data', 'export', 'evaluate']],
    ['charts', ['train', 'evaluate', 'features']],
  ]);
});

test('no features stage when the charts leave out its map', () => {
  const p = plan(`${base}charts:\n  include: [loss, misclassified]\n`);
  assert.deepEqual(p.stages.map((s) => s.id), ['data', 'train', 'export', 'evaluate', 'charts']);
  assert.deepEqual(p.stages.at(-1)!.needs, ['train', 'evaluate']);
});

test("the features stage reads its settings and the runs' ids: a new seed for the map re-runs it and charts only", () => {
  const before = plan(`${base}charts:\n  features: { seed: 1 }\n`);
  const after = plan(`${base}charts:\n  features: { seed: 2 }\n`);
  assert.deepEqual(before.stages.find((s) => s.kind === 'features')!.reads, { features: { points: 2000, neighbors: 15, seed: 1 }, runs: ['default'] });
  const changed = before.stages.filter((s, i) => s.fingerprint !== after.stages[i].fingerprint).map((s) => s.id);
  assert.deepEqual(changed, ['features', 'charts']);
});

test('a sweep: train, export and evaluate per run, one data and one charts stage over all runs', () => {
  const p = plan(`${base}matrix:\n  training.learning-rate: [0.01, 0.001]\nseeds: [1, 2]\n`);
  const ids = p.stages.map((s) => s.id);
  assert.equal(ids.filter((id) => id.startsWith('train-')).length, 4);
  assert.deepEqual(p.stages.find((s) => s.id === 'evaluate-m1-s0')?.needs, ['data', 'train-m1-s0', 'export-m1-s0']);
  const charts = p.stages.at(-1)!;
  assert.equal(charts.id, 'charts');
  assert.equal(charts.runs?.length, 4);
  assert.equal(charts.needs.length, 9);
  // The map needs every run: which is best is known only once all are evaluated.
  assert.equal(p.stages.find((s) => s.id === 'features')?.needs.length, 1 + 4 + 4);
});

test('changing one sweep value changes the fingerprints of the runs it touches only', () => {
  const before = plan(`${base}matrix:\n  training.learning-rate: [0.01, 0.001]\n`);
  const after = plan(`${base}matrix:\n  training.learning-rate: [0.05, 0.001]\n`);
  const changed = before.stages.filter((s, i) => s.fingerprint !== after.stages[i].fingerprint).map((s) => s.id);
  // evaluate-m0 reads no training settings: its upstream outputs, not its fingerprint, make it re-run.
  assert.deepEqual(changed, ['train-m0', 'export-m0', 'charts']);
});

test('runs with different datasets get a data stage each', () => {
  const p = plan(`${base}variants:\n  clean: {}\n  noisy: { dataset: { transforms: [ { type: noise, std: 0.2 } ] } }\n`);
  assert.deepEqual(p.stages.filter((s) => s.kind === 'data').map((s) => s.id), ['data', 'data-1']);
  assert.deepEqual(p.stages.find((s) => s.id === 'train-noisy')?.uses, { data: 'data-1' });
});

test("a run's stages name the run in their description (Nx's task list), and train reads its label and values (run.json)", () => {
  const p = plan(`${base}variants:\n  small: {}\n  large: {}\nmatrix:\n  training.learning-rate: [0.01]\nseeds: [3]\n`);
  const train = p.stages.find((s) => s.id === 'train-small-m0-s0')!;
  assert.equal(train.description, 'Train the model with TensorFlow.js: run small-m0-s0 (small, learning-rate=0.01, seed=3)');
  assert.deepEqual(train.reads.run, { label: 'small, learning-rate=0.01, seed=3', values: { variant: 'small', 'learning-rate': 0.01, seed: 3 } });
  assert.match(p.stages.find((s) => s.id === 'evaluate-small-m0-s0')!.description, /: run small-m0-s0 \(small, learning-rate=0\.01, seed=3\)$/);
  const single = plan(base).stages.find((s) => s.id === 'train')!;
  assert.equal(single.description, 'Train the model with TensorFlow.js');
  assert.equal(single.reads.run, undefined);
});

test('the train stage reads an MLP\'s match, so a changed target count re-runs a fixed-width MLP', () => {
  const tiny = TINY_PIPELINE.replace('  input:', '  name: Tiny\n  input:');
  const text = (units: number) => `${tiny.replace('units: 10 }', `units: 10 }\n    - { type: dense, units: ${units} }`)}variants:\n  tiny: {}\n  mlp: { model: { name: MLP, mlp: { hidden: [100], match-params: Tiny } } }\n`;
  const train = (units: number) => planPipeline(parsePipeline(text(units), 'p.yaml')).stages.find((s) => s.id === 'train-mlp')!;
  // Tiny: 650 + 11 * units parameters; the MLP's 64 -> 100 -> 10 has 7,510.
  assert.deepEqual(train(623).reads.matched, { model: 'Tiny', params: 650 + 11 * 623 });
  assert.notEqual(train(623).fingerprint, train(624).fingerprint);
  assert.equal(planPipeline(parsePipeline(text(623), 'p.yaml')).stages.find((s) => s.id === 'train-tiny')!.reads.matched, undefined);
});

test("a data stage's files are in its lineage and those after it; the stages of another data stage keep theirs", () => {
  const p = plan(`${base}variants:\n  clean: {}\n  noisy: { dataset: { transforms: [ { type: noise, std: 0.2 } ] } }\n`);
  const lineages = (files: StageFiles) => Object.fromEntries(p.stages.map((s) => [s.id, stageLineage(p, s.id, files)]));
  const none = lineages(() => undefined);
  const edited = lineages((s) => (s.id === 'data-1' ? 'f1' : undefined));
  const changed = p.stages.filter((s) => none[s.id] !== edited[s.id]).map((s) => s.id);
  assert.deepEqual(changed, ['data-1', 'train-noisy', 'export-noisy', 'evaluate-noisy', 'features', 'charts']);
  assert.notEqual(lineages((s) => (s.id === 'data-1' ? 'f2' : undefined))['evaluate-noisy'], edited['evaluate-noisy']);
  assert.deepEqual(lineageFiles(p, 'evaluate-noisy', (s) => (s.kind === 'data' ? `f-${s.id}` : undefined)), { 'data-1': 'f-data-1' });
  assert.deepEqual(lineageFiles(p, 'charts', (s) => (s.kind === 'data' ? `f-${s.id}` : undefined)), { data: 'f-data', 'data-1': 'f-data-1' });
});
