import { existsSync } from 'node:fs';
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

