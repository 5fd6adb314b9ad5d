import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; @tensorflow/tfjs would, but we load only core and the backends.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { dirname } from 'node:path';
import { nativeInstalled, type BackendName, type BackendRequest } from '../../backend-choice';
import { registerWasmKernels } from '../../kernels';

/**
 * Makes the requested backend active. `auto` tries native TensorFlow, then wasm; cpu (pure JS, ~100x
 * slower) only when asked for by name. Returns the backend in use.
 */
export async function useBackend(request: BackendRequest, log: (line: string) => void = () => {}): Promise<BackendName> {
  const order: BackendName[] = request === 'auto' ? ['tensorflow', 'wasm'] : [request];
  const failures: string[] = [];
  for (const name of order) {
    try {
      await activate(name);
      return name;
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      if (request === 'auto' && name === 'tensorflow' && nativeInstalled()) log(`native TensorFlow did not load (${failures.at(-1)}); using wasm`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

async function activate(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  if (name === 'tensorflow') {
    if (!nativeInstalled()) throw new Error('@tensorflow/tfjs-node is not installed');
    require('@tensorflow/tfjs-node');
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node has no fetch of file URLs: point the backend at the binaries shipped in the package.
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
    registerWasmKernels();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}
