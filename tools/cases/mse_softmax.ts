// Cases for spec/ops/mse_softmax.md. Each expect() writes fixtures/mse_softmax/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'mse_softmax', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/mse_softmax.ts',
);

export default cases;
