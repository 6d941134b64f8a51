/* Generated from spec/protocol.schema.json by `npm run types`. Do not edit by hand. */

/**
 * One line of the gradspec subprocess protocol, version 1.1: newline-delimited JSON between the runner (on the child's stdin) and an implementation (on its stdout). See spec/protocol.md.
 */
export type ProtocolMessage = HelloRequest | HelloReply | RunRequest | RunResult | RunError | Bye;
/**
 * <major>.<minor>. This document is version 1.1; the runner says 1.1 in its hello and accepts a reply of 1.0 or 1.1 (spec/protocol.md#versioning).
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
  | 'softmax'
  | 'mse'
  | 'mse_softmax'
  | 'cross_entropy'
  | 'sgd'
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
 * Runner → implementation: one conformance case, the fixture (spec/fixture.schema.json) without its expected values. grad_output is present when the case checks backward: the seed for each listed forward output (an output without a seed has a zero seed). optimizer is present when the case checks an update: repeat forward, backward and p ← p − lr·∇p `steps` times on the same inputs and grad_output.
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
export interface Optimizer {
  type: 'sgd';
  lr: number;
  steps: number;
}
/**
 * Implementation → runner: the tensors computed for one run request. forward: every forward output, computed with the params as sent. grad_inputs and grad_params (when the request had grad_output): the gradient of each differentiable input and of each param. params (when the request had an optimizer): the params after all steps. losses (with an optimizer, for ops with a loss output): the loss before each step, shape [steps].
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
