import { multiplyAdds, type ModelSpec } from '../../graph';
import type { Plan, Stage } from './plan';

/** Training images assumed for a dataset without `limit.train`: MNIST's and Fashion-MNIST's training file. */
const FULL_TRAIN = 60_000;

export interface ShardRun {
  id: string;
  label: string;
  /** Expected work of the run, in multiply-adds (relative: only the ratios between runs matter). */
  cost: number;
  /** The run's evaluate stage: running it runs the stages it needs (train, export, data). */
  evaluate: string;
}

export interface Shard {
  /** From 1. */
  index: number;
  runs: ShardRun[];
  cost: number;
}

/** A run's expected cost: epochs × training images × the model's work per image. */
export function runCost(train: Stage): number {
  const { dataset, model, training } = train.reads as {
    dataset: { validation: number; limit?: { train?: number } };
    model: ModelSpec;
    training: { epochs: number };
  };
  const images = (dataset.limit?.train ?? FULL_TRAIN) * (1 - dataset.validation);
  return training.epochs * images * multiplyAdds(model);
}

/**
 * Splits a pipeline's runs into `count` slices of about equal expected cost: the costliest run first,
 * each to the slice with the least so far (ties to the lower index), so every machine computes the same
 * split. A slice may be empty when there are fewer runs than slices.
 */
export function shardPlan(plan: Plan, count: number): Shard[] {
  const runs: ShardRun[] = plan.stages
    .filter((s) => s.kind === 'train')
    .map((train) => {
      const evaluate = plan.stages.find((s) => s.kind === 'evaluate' && s.uses.train === train.id)!;
      return { id: train.run!.id, label: train.run!.label, cost: runCost(train), evaluate: evaluate.id };
    });
  const shards: Shard[] = Array.from({ length: count }, (_, i) => ({ index: i + 1, runs: [], cost: 0 }));
  const order = runs.map((r, i) => ({ r, i })).sort((a, b) => b.r.cost - a.r.cost || a.i - b.i);
  for (const { r } of order) {
    const lightest = shards.reduce((best, s) => (s.cost < best.cost ? s : best));
    lightest.runs.push(r);
    lightest.cost += r.cost;
  }
  for (const s of shards) s.runs.sort((a, b) => runs.indexOf(a) - runs.indexOf(b));
  return shards;
}
