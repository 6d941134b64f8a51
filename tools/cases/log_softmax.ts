// Cases for spec/ops/log_softmax.md. Each expect() writes fixtures/log_softmax/<id>.json.
import { opCases } from '../define-op';
import { lastAxisRules } from '../rules';
import { logSoftmaxForward } from '../formulas/softmax';
import { tensor } from '../tensor';
import { AXIS, lastAxisCases } from '../last-axis-cases';

const logSoftmax = opCases('log_softmax', {
  rules: lastAxisRules,
  forward: (g, v) => ({ y: logSoftmaxForward(g, v.x!) }), // f1: (x − m) − log Σ exp(x − m)
  // b1: dx = dy − exp(y)·Σ_last dy, exp(y) being softmax(x) — PyTorch's log_softmax backward.
  backward: (g, _v, dy, _a, out) => {
    const total = g.op('ReduceSum', [dy.y!, g.axes([-1])], { keepdims: 1 });
    return { x: g.op('Sub', [dy.y!, g.op('Mul', [g.op('Exp', [out.y!]), total])]) };
  },
});

lastAxisCases(logSoftmax, {
  name: 'log-softmax',
  singleElement: 'y = 0 and dx = 0 whatever dy is',
  uniformRow: '−log n, and dx = dy − Σdy/n',
});

for (const dtype of ['float64', 'float32'] as const) {
  logSoftmax.expect({
    id: `extreme-logits${dtype === 'float32' ? '-float32' : ''}`,
    rule: 's1',
    description: `logits of ±1e3: finite y down to −2000, never −Infinity; no overflow (${dtype})`,
    features: ['extreme-values', 'confident-prediction'],
    dtype,
    attributes: AXIS,
    data: () => ({
      inputs: { x: tensor([3, 3], [1000, 999, -1000, -1000, -999.5, -1000, 1000, 1000, 1000]) },
    }),
  });
}

export default logSoftmax;
