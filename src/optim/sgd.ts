// sgd (spec/ops/sgd.md): p ← p − lr·∇p. The step is pure: it returns a new tensor, and the SGD
// class swaps it into the parameter, so no tensor anyone else holds is ever written.
import { expectFiniteNumber, expectSameDType, expectShape } from '../checks';
import { subtractScaled } from '../kernels/elementwise';
import type { Parameter } from '../layers/layer';
import { Tensor } from '../tensor';

/** p − lr·grad as a new tensor of p's shape and dtype; throws when the shapes or dtypes differ. */
export function sgdStep(param: Tensor, grad: Tensor, lr: number): Tensor {
  expectShape('sgd', grad, 'grad', param.shape, 'param');
  expectSameDType('sgd', grad, 'grad', param, 'param');
  expectFiniteNumber('sgd', lr, 'learning rate');
  const next = Tensor.zeros(param.shape, param.dtype);
  subtractScaled(next.data, param.data, lr, grad.data); // next[i] = param[i] − lr·grad[i]
  return next;
}

/** Plain stochastic gradient descent over a fixed list of parameters, which it updates in place of their values. */
export class SGD {
  /** The parameters this optimizer steps (the layers' own objects). */
  constructor(readonly parameters: Parameter[], public lr: number) {
    expectFiniteNumber('sgd', lr, 'learning rate');
  }

  /** Replaces each parameter's value by value − lr·grad; throws if a parameter has no gradient yet. */
  step(): void {
    for (const p of this.parameters) {
      if (p.grad === null) throw new Error(`sgd: parameter '${p.name}' has no gradient; call backward before step`);
      p.value = sgdStep(p.value, p.grad, this.lr);
    }
  }

  /** Sets every gradient to zeros of its parameter's shape (a step right after is then a no-op). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad = Tensor.zeros(p.value.shape, p.value.dtype);
  }
}
