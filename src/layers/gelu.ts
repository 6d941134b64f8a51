// gelu (spec/ops/gelu.md): y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)), or with approximate = 'tanh'
// y = ½x(1 + tanh(β(x + κx³))). Forward and backward side by side, PyTorch's formulas term for term;
// the layer caches its input.
import { expectSameDType, expectShape } from '../checks';
import { erf } from '../ops/erf';
import { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

export type GeluApproximate = 'none' | 'tanh';

export interface GELUOptions {
  /** 'none' (default): the erf form; 'tanh': the tanh approximation. */
  approximate?: GeluApproximate;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI); // φ(0)
const BETA = Math.sqrt(2 / Math.PI);
const KAPPA = 0.044715;

function checkedApproximate(approximate: unknown): GeluApproximate {
  if (approximate !== 'none' && approximate !== 'tanh') throw new Error(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  return approximate;
}

/** Φ(x), the standard normal distribution function. */
function cdf(x: number): number {
  return 0.5 * (1 + erf(x * Math.SQRT1_2));
}

/** f1 / f2, elementwise, any shape. Math.tanh saturates, so u ≈ ±3.6e7 at x = ±1e3 is harmless (s2). */
export function gelu(x: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  const tanhForm = checkedApproximate(approximate) === 'tanh';
  const y = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i]!;
    y.data[i] = tanhForm ? 0.5 * v * (1 + Math.tanh(BETA * (v + KAPPA * v * v * v))) : v * cdf(v);
  }
  return y;
}

/** dL/dx given the forward input `x` and dL/dy: b1 dy·(Φ(x) + x·φ(x)), or b2 for the tanh form. */
export function geluBackward(x: Tensor, gradOutput: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  const tanhForm = checkedApproximate(approximate) === 'tanh';
  expectShape('gelu', gradOutput, 'gradOutput', x.shape, 'input');
  expectSameDType('gelu', gradOutput, 'gradOutput', x, 'input');
  const dx = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i]!;
    let slope: number;
    if (tanhForm) {
      const t = Math.tanh(BETA * (v + KAPPA * v * v * v));
      slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * BETA * (1 + 3 * KAPPA * v * v);
    } else {
      slope = cdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    }
    dx.data[i] = gradOutput.data[i]! * slope;
  }
  return dx;
}

export class GELU implements Layer {
  readonly approximate: GeluApproximate;
  private input: Tensor | null = null;

  constructor(options: GELUOptions = {}) {
    this.approximate = checkedApproximate(options.approximate ?? 'none');
  }

  forward(x: Tensor): Tensor {
    this.input = x;
    return gelu(x, this.approximate);
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('gelu');
    return geluBackward(this.input, gradOutput, this.approximate);
  }

  parameters(): Parameter[] {
    return [];
  }
}
