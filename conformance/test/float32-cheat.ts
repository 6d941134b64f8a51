// Contract 2.0 (spec/conventions.md#float64-tolerance): a float64 case cannot be passed by float32
// arithmetic unless float32 happens to be float64-accurate there (ReLU of a negative input, small
// integers, a term far below the other's ulp). The reference computing in float32 must fail every
// float64 case in which its result is further from the expected one than float64 rounding explains.
// float64-tolerance.test.ts checks a case per op; float64-tolerance.corpus.test.ts every float64 case.
import { createReferenceImplementation } from '../adapters/reference';
import type { CaseReply, Tensor } from '../implementation';
import type { LoadedFixture } from '../loader';
import { buildRequest, runCase } from '../run-case';
import { computesInFloat32 } from './broken/computes-in-float32';

const cheat = computesInFloat32(createReferenceImplementation());

/**
 * Every expected tensor equals the reply's to float64 accuracy (a few ulps, 1e-14 relative) or both
 * are below atol, where the tolerance cannot tell values apart by design (σ(−100) = 3.7e-44 in
 * float64, 3.6e-44 as a float32 subnormal).
 */
function exactly(loaded: LoadedFixture, reply: CaseReply): boolean {
  const atol = loaded.fixture.tolerance.float64?.forward.atol ?? 0;
  const pairs: [Tensor, Tensor | undefined][] = [
    ...Object.entries(loaded.forward).map(([k, t]): [Tensor, Tensor | undefined] => [t, reply.forward[k]]),
    ...Object.entries(loaded.backward?.grad_inputs ?? {}).map(([k, t]): [Tensor, Tensor | undefined] => [t, reply.grad_inputs?.[k]]),
    ...Object.entries(loaded.backward?.grad_params ?? {}).map(([k, t]): [Tensor, Tensor | undefined] => [t, reply.grad_params?.[k]]),
    ...Object.entries(loaded.update?.params ?? {}).map(([k, t]): [Tensor, Tensor | undefined] => [t, reply.params?.[k]]),
  ];
  if (loaded.update?.losses) pairs.push([loaded.update.losses, reply.losses]);
  const same = (v: number, w: number) =>
    v === w || (Number.isNaN(v) && Number.isNaN(w)) || (Math.abs(v) <= atol && Math.abs(w) <= atol) || Math.abs(v - w) <= 1e-14 * Math.abs(v);
  return pairs.every(([e, a]) => a !== undefined && e.data.every((v, i) => same(v, a.data[i]!)));
}

/** Runs the float32 cheat on each case: how many it fails, and the inexact ones it passes (there must be none). */
export async function judgeFloat32Cheat(cases: readonly LoadedFixture[]): Promise<{ failed: number; passedInexact: string[] }> {
  const passedInexact: string[] = [];
  let failed = 0;
  for (const loaded of cases) {
    const result = await runCase(cheat, loaded);
    if (result.status === 'fail') failed++;
    else if (!exactly(loaded, await cheat.run(buildRequest(loaded)))) passedInexact.push(`${loaded.id}: ${result.status}`);
  }
  return { failed, passedInexact };
}
