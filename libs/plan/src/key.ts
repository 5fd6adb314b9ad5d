import { preferredBackend, requestedBackend, runThreads, type BackendRequest, type ThreadsRequest } from '../../backend-choice';
import type { ModelSpec } from '../../graph';
import { createHash } from 'node:crypto';
import type { Plan, Stage } from './plan';

/**
 * What a stage's Nx cache key takes from the pipeline file and the machine: the fingerprint of what it
 * reads and, for training, the backend and thread count it resolves to here (both change its results).
 * The stage checks it was given this key, so a project graph planned with other overrides (a daemon
 * started earlier) cannot hide behind a cache hit.
 */
export function stageKey(stage: Stage): string {
  if (stage.kind !== 'train') return stage.fingerprint;
  const training = stage.reads.training as { backend?: BackendRequest; threads?: ThreadsRequest; 'batch-size': number };
  return `${stage.fingerprint}-${preferredBackend(requestedBackend(training.backend))}-t${runThreads(training, stage.reads.model as ModelSpec)}`;
}

/**
 * A stage's key together with the keys of every stage it reads, directly or not, hashed: what its outputs
 * were made from. Two folders with the same lineage hold the same results; a stage whose own reads did not
 * change (evaluate under fewer epochs) still gets a new lineage when what it read did.
 */
export function stageLineage(plan: Plan, id: string, memo = new Map<string, string>()): string {
  const known = memo.get(id);
  if (known) return known;
  const stage = plan.stages.find((s) => s.id === id);
  if (!stage) throw new Error(`${plan.file} has no stage '${id}'`);
  const hash = createHash('sha256').update(stageKey(stage));
  for (const need of stage.needs) hash.update(`\n${need} ${stageLineage(plan, need, memo)}`);
  const lineage = hash.digest('hex').slice(0, 20);
  memo.set(id, lineage);
  return lineage;
}
