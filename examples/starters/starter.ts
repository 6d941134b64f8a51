// A gradspec starter as a TypeScript module: one op (relu), run inside the runner's own process.
//
//   npx gradspec run --impl examples/starters/starter.ts --op relu
//
// Grow it one op at a time: add a function to OPS (the implementation then declares it) and run
// `--op <name>`; spec/ops/<name>.md has its tensor names and formulas. In your own project the
// types come from the package: `import type { … } from 'gradspec'`, as here.
import type { CaseReply, CaseRequest, Implementation, Tensor } from 'gradspec';

/** An op: the request (inputs, params, attributes, and grad_output when the case checks backward) → the reply. */
type Op = (request: CaseRequest) => CaseReply;

const OPS: Record<string, Op> = {
  relu({ inputs, grad_output }) {
    const x = inputs.x!;
    const y = map(x, (v) => (v > 0 ? v : 0));
    if (!grad_output) return { forward: { y } };
    const dy = grad_output.y!;
    return { forward: { y }, grad_inputs: { x: map(x, (v, i) => (v > 0 ? dy.data[i]! : 0)) } }; // ReLU'(0) = 0
  },
};

/** A new tensor of x's dtype and shape (never write into the request's tensors: the runner checks). */
function map(x: Tensor, f: (v: number, i: number) => number): Tensor {
  return { dtype: x.dtype, shape: [...x.shape], data: x.data.map(f) };
}

export function createImplementation(): Implementation {
  return {
    name: 'typescript starter 0.1',
    ops: Object.keys(OPS), // cases of other ops are reported as not run
    async run(request) {
      const op = OPS[request.op];
      if (!op) throw new Error(`${request.op} is not implemented`); // not reached: the runner sends only the ops above
      return op(request);
    },
  };
}
