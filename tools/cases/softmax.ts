// Cases for spec/ops/softmax.md. Each expect() writes fixtures/softmax/<id>.json.
import { opCases } from '../define-op';
import { lastAxisRules } from '../rules';
import { softmaxBackward, softmaxForward } from '../formulas/softmax';
import { randn, tensor } from '../tensor';
import { AXIS, lastAxisCases } from '../last-axis-cases';

const softmax = opCases('softmax', {
  rules: lastAxisRules,
  forward: (g, v) => ({ y: softmaxForward(g, v.x!) }), // f1: exp(x − max) / Σ exp(x − max)
  backward: (g, _v, dy, _a, out) => ({ x: softmaxBackward(g, out.y!, dy.y!) }), // b1
});

lastAxisCases(softmax, {
  name: 'softmax',
  singleElement: 'y = 1 and dx = 0 whatever dy is',
  uniformRow: 'the uniform 1/n, and dx = (dy − mean dy)/n',
});

softmax.expect({
  id: 'extreme-logits',
  rule: 's1',
  description: 'logits of ±1e3 stay finite: exp without max-subtraction would overflow',
  features: ['extreme-values', 'confident-prediction'],
  attributes: AXIS,
  data: () => ({
    inputs: { x: tensor([3, 3], [1000, 999, -1000, -1000, -999.5, -1000, 1000, 1000, 1000]) },
  }),
});

softmax.expect({
  id: 'extreme-logits-float32',
  rule: 's1',
  description: 'float32 logits of ±1e3: exp(1e3) overflows float32 without max-subtraction',
  dtype: 'float32',
  features: ['extreme-values'],
  attributes: AXIS,
  data: () => ({ inputs: { x: tensor([2, 3], [1000, 998, -1000, -1000, -1000, -997]) } }),
});

// No axis attribute: the spec's default (−1, the last axis) must apply. Every other case gives it.
softmax.expect({
  id: 'default-axis',
  rule: 'f2',
  description: 'no axis attribute: the last axis by default; a 2×3×4 input, so any other axis gives other values',
  features: ['odd-shape'],
  attributes: {},
  data: (rng) => ({ inputs: { x: randn(rng, [2, 3, 4]) } }),
});

export default softmax;
