// flatten that reads each sample in column-major order (the last axis slowest), as a Fortran-order
// reshape does, where the rule keeps row-major order (flatten f1, b1).
//   npx gradspec run --impl examples/buggy/flatten-column-major.ts
import type { Tensor } from '../../conformance/implementation';
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

/** Each sample's elements (axes 1…) in column-major order; `back` undoes it. */
function columnMajor(t: Tensor, sampleShape: readonly number[], back: boolean): Float64Array {
  const per = sampleShape.reduce((m, d) => m * d, 1);
  const out = new Float64Array(t.data.length);
  for (let s = 0; s < t.data.length / per; s++) {
    for (let i = 0; i < per; i++) {
      // The multi-index of row-major position i, then its position with axis 0 fastest.
      const index = new Array<number>(sampleShape.length);
      let rest = i;
      for (let k = sampleShape.length - 1; k >= 0; k--) {
        index[k] = rest % sampleShape[k]!;
        rest = Math.floor(rest / sampleShape[k]!);
      }
      let j = 0;
      let stride = 1;
      for (let k = 0; k < sampleShape.length; k++) {
        j += index[k]! * stride;
        stride *= sampleShape[k]!;
      }
      // i is the row-major position; j is where a column-major reading puts it (axes reversed).
      if (back) out[s * per + i] = t.data[s * per + j]!;
      else out[s * per + j] = t.data[s * per + i]!;
    }
  }
  return out;
}

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'flatten', 'column-major order', async (request, ref) => {
      const reply = await ref.run(request);
      const x = request.inputs.x!;
      if (request.attributes.start_axis !== 1) return reply;
      const sample = x.shape.slice(1);
      reply.forward.y = like(reply.forward.y!, columnMajor(x, sample, false));
      const dy = request.grad_output?.y;
      if (dy) reply.grad_inputs = { x: like(x, columnMajor(dy, sample, true)) };
      return reply;
    }),
  { breaks: ['flatten'], rule: 'spec/ops/flatten.md#f1', cases: { ids: ['flatten/nchw-start-1', 'flatten/readable-2x2x3', 'flatten/start-0'] } },
);
