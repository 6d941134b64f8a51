/* Generated from spec/protocol.schema.json by `npm run types`. Do not edit by hand. */

/**
 * One line of the gradspec subprocess protocol, version 1.2: newline-delimited JSON between the runner (on the child's stdin) and an implementation (on its stdout). See spec/protocol.md.
 */
export type ProtocolMessage = HelloRequest | HelloReply | RunRequest | RunResult | RunError | Bye;
/**
 * <major>.<minor>. This document is version 1.2; the runner says 1.2 in its hello and accepts a reply of 1.0, 1.1 or 1.2 (spec/protocol.md#versioning).
 */
export type ProtocolVersion = string;
/**
 * An op of the registry, spec/ops.json (generated into spec/op-name.schema.json).
 */
export type OpName =
  | 'matmul'
  | 'linear'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'leaky_relu'
  | 'gelu'
  | 'log_softmax'
  | 'dropout'
  | 'softmax'
  | 'mse'
  | 'mse_softmax'
  | 'cross_entropy'
  | 'cross_entropy_index'
  | 'nll'
  | 'binary_cross_entropy_with_logits'
  | 'sgd'
  | 'sgd_momentum'
  | 'adam'
  | 'adamw'
  | 'mlp'
  | 'conv2d'
  | 'max_pool2d'
  | 'avg_pool2d'
  | 'flatten'
  | 'batch_norm'
  | 'layer_norm'
  | 'cnn';
/**
 * A case's dtype: the float dtype its inputs, params and expected values are computed in (an int64 target does not decide it).
 */
export type CaseDType = 'float64' | 'float32';
export type AttributeValue = number | string | boolean | number[];
export type DType = 'float64' | 'float32' | 'int64';
export type Scalar = number | ('NaN' | 'Infinity' | '-Infinity');
/**
 * The optimizer of an update, by type; its rules are spec/ops/sgd.md, sgd_momentum.md, adam.md and adamw.md (spec/conventions.md#updates). Fixtures write every hyperparameter except that plain SGD stays {type, lr, steps}.
 */
export type Optimizer = SgdOptimizer | AdamOptimizer;

/**
 * Runner → implementation, first line after start: the protocol version the runner speaks.
 */
export interface HelloRequest {
  type: 'hello';
  protocol: ProtocolVersion;
}
/**
 * Implementation → runner, the answer to hello: who it is and what it supports.
 */
export interface HelloReply {
  type: 'hello';
  protocol: ProtocolVersion;
  /**
   * A name shown in reports, e.g. "python-stdlib 1.0".
   */
  implementation: string;
  /**
   * The ops this implementation supports; cases of other ops are reported as not run.
   */
  ops: OpName[];
  /**
   * The case dtypes it supports; cases of other dtypes are reported as unsupported.
   *
   * @minItems 1
   */
  dtypes: [CaseDType, ...CaseDType[]];
}
/**
 * Runner → implementation: one conformance case, the fixture (spec/fixture.schema.json) without its expected values. grad_output is present when the case checks backward: the seed for each listed forward output (an output without a seed has a zero seed). optimizer is present when the case checks an update: repeat forward, backward and the optimizer's step `steps` times on the same inputs and grad_output (plain SGD: p ← p − lr·∇p; since 1.2 also SGD with momentum and weight decay, Adam and AdamW).
 */
export interface RunRequest {
  type: 'run';
  /**
   * Chosen by the runner for each run request (currently the fixture id); the reply echoes it unchanged. An implementation must not branch on it.
   */
  id: string;
  op: OpName;
  /**
   * A case's dtype: the float dtype its inputs, params and expected values are computed in (an int64 target does not decide it).
   */
  dtype?: 'float64' | 'float32';
  attributes: {
    [k: string]: AttributeValue;
  };
  inputs: TensorMap;
  params: TensorMap;
  grad_output?: TensorMap;
  optimizer?: Optimizer;
}
/**
 * Tensors by name; names are identifiers (so never __proto__).
 */
export interface TensorMap {
  [k: string]: Tensor;
}
export interface Tensor {
  dtype: DType;
  shape: number[];
  /**
   * Row-major, flat; length is the product of shape (1 for shape []).
   */
  data: Scalar[];
}
/**
 * torch.optim.SGD. momentum, dampening, nesterov and weight_decay are optional (protocol 1.2); absent they are 0, 0, false, 0: plain SGD p ← p − lr·∇p.
 */
export interface SgdOptimizer {
  type: 'sgd';
  lr: number;
  steps: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /**
   * Coupled L2: λ·p is added to the gradient.
   */
  weight_decay?: number;
}
/**
 * torch.optim.Adam (weight_decay coupled: λ·p added to the gradient) or torch.optim.AdamW (decoupled: p ← p·(1 − lr·λ) before the step). Every field is required (protocol 1.2).
 */
export interface AdamOptimizer {
  type: 'adam' | 'adamw';
  lr: number;
  steps: number;
  /**
   * [β1, β2], each in [0, 1).
   *
   * @minItems 2
   * @maxItems 2
   */
  betas: [number, number];
  eps: number;
  weight_decay: number;
}
/**
 * Implementation → runner: the tensors computed for one run request. forward: every forward output, computed with the params as sent. grad_inputs and grad_params (when the request had grad_output): the gradient of each differentiable input and of each param. params (when the request had an optimizer): the params after all steps. losses (with an optimizer, for ops with a loss output): the loss before each step, shape [steps]. state (since 1.2, with an optimizer that keeps state): its state after all steps. echo (since 1.3, optional): the request's inputs, params and grad_output as the implementation holds them after computing, so the runner can see an in-place write.
 */
export interface RunResult {
  type: 'result';
  /**
   * Chosen by the runner for each run request (currently the fixture id); the reply echoes it unchanged. An implementation must not branch on it.
   */
  id: string;
  forward: TensorMap;
  grad_inputs?: TensorMap;
  grad_params?: TensorMap;
  params?: TensorMap;
  losses?: Tensor;
  state?: OptimizerState;
  /**
   * Since 1.3, optional: after computing every output, the request's tensors as the implementation holds them (inputs, params as sent — not the updated ones — and grad_output), with their request dtypes. The runner compares each bit for bit with what it sent: a difference fails the case as an input mutated in place (spec/conventions.md). Leaving it out skips that check.
   */
  echo?: {
    inputs?: TensorMap;
    params?: TensorMap;
    grad_output?: TensorMap;
  };
}
/**
 * Since 1.2: with an optimizer that keeps state (momentum ≠ 0, adam, adamw), that state after the last step: momentum_buffer, or exp_avg and exp_avg_sq, each a map from param name to tensor.
 */
export interface OptimizerState {
  [k: string]: TensorMap;
}
/**
 * Implementation → runner: it declines a request (e.g. an attribute it does not support), or declines the handshake (then without id). The case is reported as refused with this message.
 */
export interface RunError {
  type: 'error';
  /**
   * The id of the run request it answers; absent only in reply to hello.
   */
  id?: string;
  /**
   * One sentence a person can act on.
   */
  message: string;
}
/**
 * Runner → implementation, last line: no more requests; the implementation exits with status 0 (no reply).
 */
export interface Bye {
  type: 'bye';
}
