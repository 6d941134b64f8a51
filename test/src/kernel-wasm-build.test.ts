// The committed bytes of the WebAssembly kernel are what its source assembles to: nobody edited the
// generated file, and nobody changed gemm.wat without running `npm run kernels`.
import { readFileSync } from 'node:fs';
import { GENERATED_PATH, expectedGeneratedSource } from '../../tools/kernels';

test('src/kernels/gemm-wasm.generated.ts equals a fresh assembly of src/kernels/gemm.wat (else: npm run kernels)', async () => {
  expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(await expectedGeneratedSource());
});
