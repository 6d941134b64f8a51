// Softmax whose hand-rolled broadcast picks the axis by length: a per-row vector (length B) is laid
// along the columns when its length equals the row width C, else along the rows. Right for every
// B ≠ C — a non-square corpus never sees it — and wrong on every square B×B input.
import type { CaseReply, Implementation, Tensor } from '../../implementation';
import { like, substitute } from './substitute';

/** v (one value per row) broadcast against a rows×cols matrix, the axis chosen by v's length. */
function broadcast(v: Float64Array, rows: number, cols: number): (i: number, j: number) => number {
  return v.length === cols ? (_i, j) => v[j]! : (i) => v[i]!;
}

function rowReduce(m: Float64Array, rows: number, cols: number, init: number, f: (acc: number, x: number) => number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => m.subarray(i * cols, (i + 1) * cols).reduce(f, init));
}

export function softmaxBroadcastByLength(base: Implementation): Implementation {
  return substitute(base, 'softmax', 'broadcast axis chosen by length', async (request, ref) => {
    const x = request.inputs.x!;
    if (x.shape.length !== 2) return ref.run(request);
    const [rows, cols] = x.shape as [number, number];
    const at = (t: Tensor | Float64Array, i: number, j: number): number => ('data' in t ? t.data : t)[i * cols + j]!;
    const cells = (f: (i: number, j: number) => number) => Float64Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols));

    const max = broadcast(rowReduce(Float64Array.from(x.data), rows, cols, -Infinity, (a, b) => Math.max(a, b)), rows, cols);
    const e = cells((i, j) => Math.exp(at(x, i, j) - max(i, j)));
    const sum = broadcast(rowReduce(e, rows, cols, 0, (a, b) => a + b), rows, cols);
    const y = cells((i, j) => at(e, i, j) / sum(i, j));
    const reply: CaseReply = { forward: { y: like(x, y) } };
    const dy = request.grad_output?.y;
    if (dy) {
      const dot = broadcast(rowReduce(cells((i, j) => at(dy, i, j) * at(y, i, j)), rows, cols, 0, (a, b) => a + b), rows, cols);
      reply.grad_inputs = { x: like(x, cells((i, j) => at(y, i, j) * (at(dy, i, j) - dot(i, j)))) };
      reply.grad_params = {};
    }
    return reply;
  });
}
