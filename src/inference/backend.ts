import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The tfjs backend serving and training run on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<BackendName> | undefined;

/**
 * Picks the fastest backend that loads, once per process: the native `@tensorflow/tfjs-node`
 * (an optional dependency that often fails to install), else the wasm backend, else pure-JS cpu.
 */
export function initBackend(): Promise<BackendName> {
  ready ??= selectBackend();
  return ready;
}

async function selectBackend(): Promise<BackendName> {
  try {
    // Loading the native addon registers the 'tensorflow' backend on the shared tfjs-core engine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-node');
    if (await tf.setBackend('tensorflow')) return 'tensorflow';
  } catch {
    // Not installed or no native binary: fall through to wasm.
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dist + path.sep);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // wasm binary missing or not instantiable: fall through to cpu.
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/** The tfjs namespace, for code inside src/inference only. */
export { tf };
