// The runner core's shared vocabulary: where a tensor sits in a case, what the comparator found wrong
// with it (facts, no text), the failure as reported, and a case's result. Types and constants only,
// so every module of the core can import them and none imports another in a circle.
import type { Tolerance } from '../spec/types/fixture';
import type { Tensor } from './implementation';
import type { LoadedFixture } from './loader';

export type Stage = 'forward' | 'backward' | 'update';

/** Where a tensor sits in a case. */
export interface TensorPlace {
  stage: Stage;
  /** As printed: 'y', 'dx', 'dW', 'W' (updated), 'losses', 'grad_output.y'. */
  label: string;
  /** The tensor's key in its map ('x' for dx, 'W' for dW or the updated W). */
  name: string;
  /** For an optimizer state tensor (update.state): its kind, e.g. 'momentum_buffer', 'exp_avg'. */
  stateKind?: string;
  /** For a tensor of the reply: its wire key, e.g. 'grad_inputs.x', 'params.b', 'losses', 'state.exp_avg.W'. */
  key?: string;
  /** For a tensor of the reply: the rule that defines it (the fixture's `rules`), e.g. 'spec/ops/linear.md#b3'. */
  rule?: string;
}

export type FailureKind = 'missing' | 'malformed' | 'shape' | 'dtype' | 'values' | 'mutated';

export interface WorstElement {
  /** Multi-index into the tensor, e.g. [2, 1]; [] for a scalar. */
  index: number[];
  expected: number;
  actual: number;
  absError: number;
  /** |a − e| / |e| (Infinity when e = 0, NaN when not finite). */
  relError: number;
}

/** Why a reply's tensor is not a tensor at all. */
export type MalformedReason =
  | { problem: 'not-an-object'; type: string }
  | { problem: 'dtype'; dtype: unknown }
  | { problem: 'shape'; shape: unknown }
  | { problem: 'data-type' }
  | { problem: 'data-length'; length: number; shape: number[]; needs: number };

/** How a request value the implementation was handed changed. */
export type MutationChange =
  | { change: 'replaced' }
  | { change: 'reshaped'; shape: number[] }
  /** `index` of the first changed element; `now` and `was` its values. */
  | { change: 'written'; count: number; total: number; index: number[]; now: number; was: number }
  /** attributes or the optimizer config (not tensors). */
  | { change: 'edited' };

/** What is wrong with one tensor, as facts the hints read and the formatter renders. */
export type TensorMismatch = TensorPlace &
  (
    | { kind: 'missing'; expected: Tensor }
    | { kind: 'malformed'; reason: MalformedReason }
    | { kind: 'shape'; expected: Tensor; actual: Tensor }
    | { kind: 'dtype'; expected: Tensor; actual: Tensor }
    | {
        kind: 'values';
        expected: Tensor;
        actual: Tensor;
        tolerance: Tolerance;
        mismatched: number;
        total: number;
        /** Elements that are NaN/±Infinity in the actual where the expected value is finite. */
        unexpectedNonFinite: number;
        worst: WorstElement;
      }
    | ({ kind: 'mutated' } & MutationChange)
  );

/** A failing tensor as reports show it (the JSON report writes this object as is). */
export interface TensorFailure extends TensorPlace {
  kind: FailureKind;
  /** One line, without the case id: '[backward] grad_params.W (dW)[2,1] = 0.7311, expected 0.2437 (...); 14/20 elements differ; rule: spec/ops/linear.md#b2'. */
  detail: string;
  mismatched?: number;
  total?: number;
  unexpectedNonFinite?: number;
  worst?: WorstElement;
  tolerance?: Tolerance;
  hint?: string;
}

/** The results of spec/INTERPRETING.md#3. */
export type CaseStatus = 'pass' | 'fail' | 'error' | 'refused' | 'skip' | 'xfail' | 'xpass' | 'not-run';

export const CASE_STATUSES: readonly CaseStatus[] = ['pass', 'fail', 'error', 'refused', 'skip', 'xfail', 'xpass', 'not-run'];

/** Statuses that make the run fail. */
export const FAILING: ReadonlySet<CaseStatus> = new Set(['fail', 'error', 'xpass']);

/** What running one case gives before the expectations file has a say (skip, xfail and xpass come from it). */
export type OwnStatus = Extract<CaseStatus, 'pass' | 'fail' | 'error' | 'refused' | 'not-run'>;

export interface CaseResult<S extends CaseStatus = CaseStatus> {
  id: string;
  op: LoadedFixture['op'];
  /** spec/ops/<op>.md#<rule> */
  spec: string;
  status: S;
  durationMs: number;
  /** Human-readable, multi-line: one line per failure (or the error), then `spec: ...`; for xfail the failure it was expected to have. */
  message: string;
  failures: TensorFailure[];
  /** Why a case was skipped, refused by the implementation, expected to fail (also for xpass) or not run. */
  reason?: string;
  /** The expectations entry applied, as file:line. */
  expectation?: string;
}
