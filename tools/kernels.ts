// Assembles src/kernels/gemm.wat into src/kernels/gemm-wasm.generated.ts (the bytes as base64) with wabt.
// The bytes are committed, so `npm ci` needs no build step and src/ needs no file read at run time;
// `--check` (and test/src/kernel-wasm-build.test.ts) rebuilds in memory and fails when they drift.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import initWabt from 'wabt';

const ROOT = join(__dirname, '..');
export const WAT_PATH = join(ROOT, 'src', 'kernels', 'gemm.wat');
export const GENERATED_PATH = join(ROOT, 'src', 'kernels', 'gemm-wasm.generated.ts');

/** The WebAssembly binary for `watText`: SIMD, shared memory (threads) and memory.fill (bulk memory). */
export async function assemble(watText: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const features = { simd: true, threads: true, bulk_memory: true };
  const module = wabt.parseWat('gemm.wat', watText, features);
  try {
    // wabt.js validates with its own feature set (the .d.ts omits the argument): without it, `shared` is refused.
    (module as unknown as { validate(features: object): void }).validate(features);
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

/** The text of gemm-wasm.generated.ts for `bytes`: base64 in 100-character lines, so a change reads as a diff. */
export function generatedSource(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 100) lines.push(`  '${base64.slice(i, i + 100)}',`);
  return [
    '// Generated from src/kernels/gemm.wat by `npm run kernels` (tools/kernels.ts, wabt). Do not edit by hand:',
    '// test/src/kernel-wasm-build.test.ts rebuilds it and fails when it drifts from the .wat source.',
    `/** The assembled gemm.wat, ${bytes.length} bytes, base64. */`,
    'export const GEMM_WASM_BASE64 = [',
    ...lines,
    "].join('');",
    '',
  ].join('\n');
}

/** What gemm-wasm.generated.ts should contain for the current gemm.wat. */
export async function expectedGeneratedSource(): Promise<string> {
  return generatedSource(await assemble(readFileSync(WAT_PATH, 'utf8')));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const expected = await expectedGeneratedSource();
  const current = existsSync(GENERATED_PATH) ? readFileSync(GENERATED_PATH, 'utf8') : '';
  if (values.check) {
    if (current !== expected) {
      console.error('src/kernels/gemm-wasm.generated.ts is out of date with src/kernels/gemm.wat: run `npm run kernels`');
      process.exit(1);
    }
    console.log('kernels: gemm-wasm.generated.ts matches gemm.wat');
  } else if (current !== expected) {
    writeFileSync(GENERATED_PATH, expected);
    console.log('wrote src/kernels/gemm-wasm.generated.ts');
  } else console.log('kernels: gemm-wasm.generated.ts already up to date');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
}
