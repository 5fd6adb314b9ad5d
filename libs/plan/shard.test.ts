import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline } from '../pipeline-file';
import { TINY_PIPELINE } from '../pipeline-file/testing';
import { planPipeline, shardPlan } from './index';

const plan = (extra: string) => planPipeline(parsePipeline(`${TINY_PIPELINE}${extra}`, 'pipelines/p.yaml'));
const ids = (shards: ReturnType<typeof shardPlan>) => shards.map((s) => s.runs.map((r) => r.id));

test('runs are balanced by expected cost, not by count: one 9-epoch run against three of 3 epochs', () => {
  const p = plan('matrix:\n  training.epochs: [9, 3, 3, 3]\n');
  assert.deepEqual(ids(shardPlan(p, 2)), [['m0'], ['m1', 'm2', 'm3']]);
});

test('the training images and the model count: a limit of 1,000 images or a smaller model is cheaper', () => {
  const p = plan(`variants:
  full: {}
  limited: { dataset: { limit: { train: 1000 } } }
  wide: { model: { layers: [{ type: flatten }, { type: dense, units: 100 }, { type: dense, units: 10 }] } }
`);
  const costs = Object.fromEntries(shardPlan(p, 1)[0].runs.map((r) => [r.id, r.cost]));
  assert.ok(Math.abs(costs.limited / costs.full - 1000 / 60000) < 1e-9, `${costs.limited / costs.full}`);
  assert.ok(costs.wide > 10 * costs.full, `${costs.wide} vs ${costs.full}`);
});

test('every run lands in exactly one shard, the same one on every machine; extra shards are empty', () => {
  const p = plan('matrix:\n  training.learning-rate: [0.1, 0.01, 0.001]\nseeds: [1, 2]\n');
  const three = shardPlan(p, 3);
  assert.deepEqual(three.map((s) => s.index), [1, 2, 3]);
  assert.deepEqual(ids(three).flat().sort(), p.stages.filter((s) => s.kind === 'train').map((s) => s.run!.id).sort());
  assert.deepEqual(ids(shardPlan(p, 3)), ids(three));
  assert.deepEqual(ids(three).map((r) => r.length), [2, 2, 2]);
  assert.deepEqual(ids(shardPlan(p, 8)).map((r) => r.length), [1, 1, 1, 1, 1, 1, 0, 0]);
});

test("a shard names its runs' evaluate stages, which Nx runs with what they need", () => {
  const p = plan('seeds: [1, 2]\n');
  assert.deepEqual(shardPlan(p, 2).map((s) => s.runs.map((r) => r.evaluate)), [['evaluate-s0'], ['evaluate-s1']]);
});
