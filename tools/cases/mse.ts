// Cases for spec/ops/mse.md. Each expect() writes fixtures/mse/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'mse', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/mse.ts',
);

export default cases;
