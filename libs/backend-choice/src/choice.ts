import { existsSync } from 'node:fs';
import type { ModelSpec } from '../../graph';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** TRAINYARD_BACKEND wins over the pipeline file, so one run can be forced without editing it. */
export function requestedBackend(fromConfig: BackendRequest = 'auto'): BackendRequest {
  const env = process.env.TRAINYARD_BACKEND;
  if (env === undefined || env === '') return fromConfig;
  if (env === 'auto' || env === 'tensorflow' || env === 'wasm' || env === 'cpu') return env;
  throw new Error(`TRAINYARD_BACKEND must be auto, tensorflow, wasm or cpu (got '${env}')`);
}

/** Whether @tensorflow/tfjs-node is installed with its native library; cheap, loads nothing. */
export function nativeInstalled(): boolean {
  try {
    const root = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
    return existsSync(join(root, 'lib')) && existsSync(join(root, 'deps'));
  } catch {
    return false;
  }
}

/** The backend `auto` stands for on this machine, without loading TensorFlow.js (the Nx cache key reads it). */
export function preferredBackend(request: BackendRequest): BackendName {
  if (request !== 'auto') return request;
  return nativeInstalled() ? 'tensorflow' : 'wasm';
}


export type ThreadsRequest = number | 'auto';

/**
 * Forward multiply-adds a thread's slice of a batch must hold to pay for the fixed work of a step and of
 * sharing it (copying weights and gradients). On a 2-core machine, lenet-l2 (LeNet-5, 425k per image,
 * batch 64: slices of 14M) trained at 1.57x on two threads, while a 1024-60-10 MLP at batch 64 (slices of
 * 2M) ran at half speed in `npm run bench`.
 */
export const MIN_SLICE_WORK = 10_000_000;

/**
 * The threads a run trains on here: TRAINYARD_THREADS wins over the pipeline file; `auto` is the machine's
 * cores, at most one per MIN_SLICE_WORK of a batch's forward pass (`work`: multiply-adds per image).
 * Cheap: the cache key reads it.
 */
export function resolveThreads(fromConfig: ThreadsRequest = 'auto', batchSize: number, work: number): number {
  const env = process.env.TRAINYARD_THREADS;
  let request: ThreadsRequest = fromConfig;
  if (env !== undefined && env !== '') {
    if (env !== 'auto' && !/^[1-9][0-9]?$/.test(env)) throw new Error(`TRAINYARD_THREADS must be auto or a whole number from 1 to 99 (got '${env}')`);
    request = env === 'auto' ? 'auto' : Number(env);
  }
  const threads = request === 'auto' ? Math.min(availableParallelism(), Math.floor((batchSize * work) / MIN_SLICE_WORK)) : request;
  return Math.max(1, Math.min(threads, batchSize));
}

/** The threads a run of this training config and model trains on here: what its cache key and its train stage both use. */
export function runThreads(training: { threads?: ThreadsRequest; 'batch-size': number }, model: ModelSpec): number {
  // Required here: the Nx plugin loads this file on every command, and needs the graph lib only to plan anew.
  const { multiplyAdds } = require('../../graph') as typeof import('../../graph');
  return resolveThreads(training.threads, training['batch-size'], multiplyAdds(model));
}
