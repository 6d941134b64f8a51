// What the runner asks of an implementation under test: one request per fixture, one reply.
// The same shapes travel over the subprocess protocol (spec/protocol.schema.json) as JSON.
import type { CaseDType, DType, Fixture, Optimizer } from '../spec/types/fixture';

export type { CaseDType, DType };

/** A decoded tensor: row-major typed array (int64 values are held as integral float64). */
export interface Tensor {
  dtype: DType;
  shape: number[];
  data: Float64Array | Float32Array;
}

export type TensorMap = Record<string, Tensor>;

export interface CaseRequest {
  /** The fixture id, e.g. 'linear/batch-3' (for logs; an implementation must not branch on it). */
  id: string;
  op: Fixture['op'];
  /** The case dtype: every float tensor of the request, and of the expected reply, has it. */
  dtype: CaseDType;
  attributes: Fixture['attributes'];
  inputs: TensorMap;
  params: TensorMap;
  /** Present when the case checks backward: the seed for each listed forward output. */
  grad_output?: TensorMap;
  /** Present when the case checks an update: apply `steps` steps of this optimizer, each after a fresh forward and backward on the same inputs and grad_output. */
  optimizer?: Optimizer;
}

export interface CaseReply {
  forward: TensorMap;
  /** Required when the request had grad_output. */
  grad_inputs?: TensorMap;
  grad_params?: TensorMap;
  /** Required when the request had an optimizer: the params after all steps. */
  params?: TensorMap;
  /** With an optimizer, for ops with a loss output: the loss before each step, shape [steps]. */
  losses?: Tensor;
  /** With an optimizer that keeps state (momentum, Adam, AdamW): its state after the last step, by state name then param name. */
  state?: Record<string, TensorMap>;
}

export interface Implementation {
  /** Shown in reports, e.g. 'reference (src/)'. */
  readonly name: string;
  /** Ops this implementation supports; cases of other ops are reported as not run. Undefined = all. */
  readonly ops?: readonly string[];
  /** Dtypes this implementation supports; cases of other dtypes are reported as not run. Undefined = all. */
  readonly dtypes?: readonly CaseDType[];
  /**
   * Runs one case. To decline it (e.g. an attribute value it does not support), throw an error whose
   * `kind` is 'refused' (ImplementationError('refused', why) from adapters/implementation-error.ts):
   * the case is reported as refused with the message (spec/INTERPRETING.md#3).
   */
  run(request: CaseRequest): Promise<CaseReply>;
  /**
   * The longest one run() may take when it enforces its own limits (the subprocess adapter: a restart's
   * handshake plus the case's timeout). The runner's per-case timer allows at least this much.
   */
  readonly runLimitMs?: number;
  close?(): Promise<void>;
}
