import { preferredBackend, requestedBackend, runThreads, type BackendRequest, type ThreadsRequest } from '../../backend-choice';
import type { ModelSpec } from '../../graph';
import type { Stage } from './plan';

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
