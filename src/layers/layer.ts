// What every layer offers: a forward pass that caches what backward needs, a backward pass that
// returns dL/dinput (and fills its parameters' gradients), and its parameters.
import type { Tensor } from '../tensor';

/** A trainable tensor with its gradient from the last backward pass (null before any). */
export interface Parameter {
  /** Short name within its layer, e.g. `W` or `b`. */
  name: string;
  /** The current value; an optimizer replaces it with a new tensor rather than writing into it. */
  value: Tensor;
  /** dL/dvalue from the last backward pass, or null when none has run. */
  grad: Tensor | null;
}

/** A differentiable building block of a sequential model. */
export interface Layer {
  /** Computes the output for `x` (a new tensor) and remembers what backward needs. */
  forward(x: Tensor): Tensor;
  /** Given dL/doutput, returns dL/dinput (a new tensor) and sets the parameters' `grad`. */
  backward(gradOutput: Tensor): Tensor;
  /**
   * Optional: sets the parameters' `grad` exactly as backward does, without computing dL/dinput.
   * A model calls it on its first layer with parameters when the input gradient is not wanted
   * (the input is data); a layer without it gets backward, its result discarded.
   */
  backwardParameters?(gradOutput: Tensor): void;
  /** The layer's parameters, the same objects on every call (empty for ReLU and Softmax). */
  parameters(): Parameter[];
}

/** The error for backward before forward: `relu: backward called before forward`. */
export function backwardBeforeForward(op: string): Error {
  return new Error(`${op}: backward called before forward`);
}

/**
 * A parameter-free layer whose backward needs only its own forward output (sigmoid, tanh, softmax,
 * log_softmax): the op pair is given, the caching is here once.
 */
export abstract class OutputCachingLayer implements Layer {
  private output: Tensor | null = null;

  protected constructor(
    private readonly op: string,
    private readonly compute: (x: Tensor) => Tensor,
    private readonly gradient: (y: Tensor, gradOutput: Tensor) => Tensor,
  ) {}

  forward(x: Tensor): Tensor {
    this.output = this.compute(x);
    return this.output;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.output === null) throw backwardBeforeForward(this.op);
    return this.gradient(this.output, gradOutput);
  }

  parameters(): Parameter[] {
    return [];
  }
}
