// The comparator's rules (±0, NaN, the tolerance boundary, the worst element), checked on its facts
// and on the line messages.ts renders from them; compareReply's labels and hints on a real fixture.
import { compareReply, compareTensor, unravel } from '../compare';
import { hintCase, hintFor } from '../hints';
import type { CaseReply, Tensor, TensorMap } from '../implementation';
import { loadFixtures, type LoadedFixture } from '../loader';
import { failureReport, fmt, fmtPair } from '../messages';
import type { TensorFailure, TensorPlace } from '../results';

const t = (shape: number[], values: number[], dtype: 'float64' | 'float32' = 'float64'): Tensor => ({
  dtype,
  shape,
  data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values),
});
const EXACT = { rtol: 0, atol: 0 };
const F64 = { rtol: 1e-7, atol: 1e-9 };
const fwd = (label = 'y'): TensorPlace => ({ stage: 'forward', label, name: label });

/** compareTensor's facts as a report (undefined when the tensor passes). */
function compared(expected: Tensor, actual: unknown, tolerance: { rtol: number; atol: number }, place: TensorPlace): TensorFailure | undefined {
  const m = compareTensor(expected, actual, tolerance, place);
  return m && failureReport(m);
}

describe('compareTensor: values', () => {
  it('passes identical tensors', () => {
    expect(compared(t([2], [1, 2]), t([2], [1, 2]), EXACT, fwd())).toBeUndefined();
  });

  it('treats +0 and −0 as equal, even with zero tolerance', () => {
    expect(compared(t([3], [0, -0, 0]), t([3], [-0, 0, 0]), EXACT, fwd())).toBeUndefined();
  });

  it('matches NaN only where NaN is expected', () => {
    expect(compared(t([2], [NaN, 1]), t([2], [NaN, 1]), F64, fwd())).toBeUndefined();
    const f = compared(t([2], [NaN, 1]), t([2], [0.5, 1]), F64, fwd())!;
    expect(f.kind).toBe('values');
    expect(f.detail).toContain('expected NaN');
  });

  it('always fails an unexpected NaN or Infinity, and says so', () => {
    const f = compared(t([3], [1, 2, 3]), t([3], [1, NaN, Infinity]), { rtol: 1e9, atol: 1e9 }, fwd())!;
    expect(f.mismatched).toBe(2);
    expect(f.unexpectedNonFinite).toBe(2);
    expect(f.detail).toContain('y[1] = NaN, expected 2 (actual is not finite)');
    expect(f.detail).toContain('2 NaN/Infinity where a finite value is expected');
  });

  it('matches an expected ±Infinity exactly', () => {
    expect(compared(t([2], [Infinity, -Infinity]), t([2], [Infinity, -Infinity]), F64, fwd())).toBeUndefined();
    expect(compared(t([1], [Infinity]), t([1], [-Infinity]), F64, fwd())?.kind).toBe('values');
    expect(compared(t([1], [Infinity]), t([1], [1e308]), F64, fwd())?.kind).toBe('values');
  });

  it('passes exactly at |a − e| = atol + rtol·|e| and fails just beyond', () => {
    const tol = { atol: 0.25, rtol: 0.5 }; // e = 2 → allowed 1.25, all exact in binary
    expect(compared(t([1], [2]), t([1], [3.25]), tol, fwd())).toBeUndefined();
    expect(compared(t([1], [2]), t([1], [0.75]), tol, fwd())).toBeUndefined();
    expect(compared(t([1], [2]), t([1], [3.2500000000000004]), tol, fwd())?.mismatched).toBe(1);
    expect(compared(t([1], [-2]), t([1], [-3.2500000000000004]), tol, fwd())?.mismatched).toBe(1);
  });

  it('reports k/n, the worst element as a multi-index, and its errors', () => {
    // Two mismatches; [2,1] is further outside its tolerance than [0,0].
    const expected = t([3, 2], [1, 2, 3, 4, 5, 0.25]);
    const actual = t([3, 2], [1.001, 2, 3, 4, 5, 0.7311]);
    const f = compared(expected, actual, F64, { stage: 'backward', label: 'dW', name: 'W' })!;
    expect(f.mismatched).toBe(2);
    expect(f.total).toBe(6);
    expect(f.worst!.index).toEqual([2, 1]);
    expect(f.worst!.expected).toBe(0.25);
    expect(f.worst!.actual).toBe(0.7311);
    expect(f.worst!.absError).toBeCloseTo(0.4811, 12);
    expect(f.worst!.relError).toBeCloseTo(1.9244, 12);
    expect(f.detail).toBe('[backward] dW[2,1] = 0.7311, expected 0.25 (|Δ| 0.481 > atol 1e-9 + rtol 1e-7·|e|, rel 1.92); 2/6 elements differ');
  });

  it('prints a scalar without an index, and enough digits to tell values apart', () => {
    const f = compared(t([], [0.123456789]), t([], [0.123457]), F64, fwd('loss'))!;
    expect(f.worst!.index).toEqual([]);
    expect(f.detail).toMatch(/^\[forward\] loss = 0\.123457, expected 0\.1234568 /);
  });

  it('checks float32 tensors against their own tolerance', () => {
    const tol32 = { rtol: 1e-5, atol: 1e-5 };
    expect(compared(t([1], [1], 'float32'), t([1], [1.000001], 'float32'), tol32, fwd())).toBeUndefined();
    expect(compared(t([1], [1], 'float32'), t([1], [1.001], 'float32'), tol32, fwd())?.mismatched).toBe(1);
  });
});

describe('compareTensor: structure', () => {
  it('reports a missing tensor', () => {
    const f = compared(t([1], [1]), undefined, F64, { stage: 'backward', label: 'db', name: 'b' })!;
    expect(f.kind).toBe('missing');
    expect(f.detail).toBe('[backward] db is missing from the reply');
  });

  it('checks shape before dtype before values', () => {
    const shape = compared(t([2, 3], [1, 2, 3, 4, 5, 6]), t([6], [9, 9, 9, 9, 9, 9], 'float32'), F64, fwd())!;
    expect(shape.kind).toBe('shape');
    expect(shape.detail).toBe('[forward] y has shape [6], expected [2, 3]');
    const dtype = compared(t([2], [1, 2]), t([2], [9, 9], 'float32'), F64, fwd())!;
    expect(dtype.kind).toBe('dtype');
    expect(dtype.detail).toBe('[forward] y has dtype float32, expected float64');
  });

  it('reports a malformed tensor instead of crashing', () => {
    expect(compared(t([2], [1, 2]), { dtype: 'float64', shape: [2], data: [1, 2] }, F64, fwd())?.kind).toBe('malformed');
    expect(compared(t([2], [1, 2]), { dtype: 'float64', shape: [3], data: new Float64Array(2) }, F64, fwd())?.detail).toContain(
      'data has 2 values but shape [3] needs 3',
    );
    expect(compared(t([2], [1, 2]), 42, F64, fwd())?.kind).toBe('malformed');
  });
});

describe('formatting', () => {
  it('unravels flat indices row-major', () => {
    expect(unravel(5, [3, 2])).toEqual([2, 1]);
    expect(unravel(0, [])).toEqual([]);
    expect(unravel(23, [2, 3, 4])).toEqual([1, 2, 3]);
  });

  it('formats numbers briefly', () => {
    expect(fmt(1e-9)).toBe('1e-9');
    expect(fmt(0.48700001, 3)).toBe('0.487');
    expect(fmt(-0)).toBe('-0');
    expect(fmt(NaN)).toBe('NaN');
    expect(fmtPair(1.00000001, 1)).toEqual(['1.00000001', '1']);
  });
});

describe('compareReply on real fixtures', () => {
  const [linear] = loadFixtures({ filter: { ids: ['linear/batch-3-5-to-7'] } }).fixtures as [LoadedFixture];
  const copy = (m: TensorMap): TensorMap => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { ...v, shape: [...v.shape], data: v.data.slice() }]));
  const perfect = (): CaseReply => ({
    forward: copy(linear.forward),
    grad_inputs: copy(linear.backward!.grad_inputs),
    grad_params: copy(linear.backward!.grad_params),
    params: copy(linear.update!.params),
  });

  /** The run-case pipeline: facts, then hints, then the report. */
  const check = (reply: CaseReply): TensorFailure[] => compareReply(linear, reply).map((m) => failureReport(m, hintFor(m, hintCase(linear))));

  it('passes the expected values themselves, and ignores extra tensors', () => {
    const reply = perfect();
    reply.forward.extra = t([1], [1]);
    expect(check(reply)).toEqual([]);
  });

  it('labels tensors by stage: forward y, backward dx/dW/db, update W', () => {
    const reply = perfect();
    reply.forward.y!.data[0]! += 1;
    reply.grad_inputs!.x!.data[0]! += 1;
    reply.grad_params!.b!.data[0]! += 1;
    delete reply.grad_params!.W;
    reply.params!.W!.data[3]! += 1;
    const f = check(reply);
    expect(f.map((x) => `${x.stage} ${x.label} ${x.kind}`)).toEqual([
      'forward y values',
      'backward dx values',
      'backward dW missing',
      'backward db values',
      'update W values',
    ]);
    expect(f[4]!.worst!.index).toEqual([0, 3]);
  });

  it('recognises a transposed dW in a real case', () => {
    const reply = perfect();
    const W = linear.backward!.grad_params.W!;
    const [rows, cols] = W.shape as [number, number];
    const data = new Float64Array(W.data.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = W.data[r * cols + c]!;
    reply.grad_params!.W = { dtype: 'float64', shape: [cols, rows], data };
    const [f] = check(reply);
    expect(f!.label).toBe('dW');
    expect(f!.hint).toMatch(/dW looks transposed/);
  });

  it('recognises a single update step averaged over the batch (1/B of the expected)', () => {
    const reply = perfect();
    const B = linear.inputs.x!.shape[0]!;
    for (const name of ['W', 'b']) {
      const before = linear.params[name]!.data;
      const after = reply.params![name]!.data;
      for (let i = 0; i < after.length; i++) after[i] = before[i]! + (after[i]! - before[i]!) / B;
    }
    const f = check(reply);
    expect(f.map((x) => x.label)).toEqual(['W', 'b']);
    expect(B).toBe(3);
    for (const x of f) expect(x.hint).toBe(`the step of ${x.label} is 0.3333× the expected (= 1/B, B = 3): averaged instead of summed over the batch (in the gradients the step is taken from)`);
  });
});
