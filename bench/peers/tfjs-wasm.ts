// TensorFlow.js's WebAssembly backend (XNNPACK, SIMD, one thread here): the other WebAssembly kernel
// a JavaScript program could pick. Its .wasm files ship in the npm package, so it runs offline.
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs-core';

export interface TfjsWasm {
  tf: typeof TF;
  version: string;
  simd: boolean;
  threads: boolean;
}

/** tfjs-core on the wasm backend, or the reason it cannot run. */
export async function loadTfjsWasm(): Promise<TfjsWasm | { reason: string }> {
  try {
    // require, not import(): import() would pick tfjs's ESM build, which Node cannot resolve.
    const load = createRequire(__filename);
    const tf = load('@tensorflow/tfjs-core') as typeof TF;
    load('@tensorflow/tfjs-backend-wasm');
    tf.env().set('PROD', true);
    if (!(await tf.setBackend('wasm'))) return { reason: 'tfjs could not initialise its wasm backend' };
    await tf.ready();
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    return { tf, version: tf.version_core, simd, threads };
  } catch (e) {
    return { reason: `@tensorflow/tfjs-backend-wasm is not usable: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** C = A·B on the wasm backend (float32), read back so the work is counted. */
export function tfjsMatmul(t: TfjsWasm, a: Float32Array, b: Float32Array, n: number): { run: () => void; release: () => void } {
  const ta = t.tf.tensor2d(a, [n, n]), tb = t.tf.tensor2d(b, [n, n]);
  return {
    run: () => {
      const c = t.tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    },
    release: () => t.tf.dispose([ta, tb]),
  };
}
