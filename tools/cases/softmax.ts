// Cases for spec/ops/softmax.md. Each expect() writes fixtures/softmax/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'softmax', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/softmax.ts',
);

export default cases;
