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
 * The fingerprint of what a stage reads from outside the pipeline file and the machine: a data stage's image
 * files (the data lib's datasetFingerprint of a folder or csv source); undefined for every other stage. When
 * a stage runs, that of its own files now and that recorded by the stages it read; when results are
 * checked, that of the files now.
 */
export type StageFiles = (stage: Stage) => string | undefined;

/**
 * A stage's key and the fingerprint of its files together with the lineages of every stage it reads,
 * directly or not, hashed: what its outputs were made from. Two folders with the same lineage hold the same
 * results; a stage whose own reads did not change (evaluate under fewer epochs, or after an image was
 * edited) still gets a new lineage when what it read did.
 */
export function stageLineage(plan: Plan, id: string, files: StageFiles, memo = new Map<string, string>()): string {
  const known = memo.get(id);
  if (known) return known;
  const stage = planned(plan, id);
  const hash = createHash('sha256').update(stageKey(stage));
  const own = files(stage);
  if (own !== undefined) hash.update(`\nfiles ${own}`);
  for (const need of stage.needs) hash.update(`\n${need} ${stageLineage(plan, need, files, memo)}`);
  const lineage = hash.digest('hex').slice(0, 20);
  memo.set(id, lineage);
  return lineage;
}

/** The fingerprints of files in a stage's lineage (its own, and those of the stages it reads, directly or not), by stage id. */
export function lineageFiles(plan: Plan, id: string, files: StageFiles): Record<string, string> {
  const found: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (stage: Stage) => {
    if (seen.has(stage.id)) return;
    seen.add(stage.id);
    const own = files(stage);
    if (own !== undefined) found[stage.id] = own;
    stage.needs.forEach((need) => visit(planned(plan, need)));
  };
  visit(planned(plan, id));
  return found;
}

function planned(plan: Plan, id: string): Stage {
  const stage = plan.stages.find((s) => s.id === id);
  if (!stage) throw new Error(`${plan.file} has no stage '${id}'`);
  return stage;
}
