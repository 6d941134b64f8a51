// A module implementation for `gradspec run --impl`: the reference with the bugs the seed tutorial
// had (or invites), to see what gradspec says about each. Run:
//   npx gradspec run --impl examples/buggy/seed-bugs.ts
import { createReferenceImplementation } from '../../conformance/adapters/reference';
import type { Implementation } from '../../conformance/implementation';
import { crossEntropySummed } from '../../conformance/test/broken/cross-entropy-summed';
import { linearTransposedDW } from '../../conformance/test/broken/linear-transposed-dw';
import { reluBackwardInPlace } from '../../conformance/test/broken/relu-in-place';

export function createImplementation(): Implementation {
  const buggy = reluBackwardInPlace(linearTransposedDW(crossEntropySummed(createReferenceImplementation())));
  return { ...buggy, name: 'reference with the seed tutorial bugs (cross-entropy summed, dW transposed, ReLU in place)' };
}
