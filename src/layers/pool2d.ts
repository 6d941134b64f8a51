// The pooling layers: ops/pool2d.ts plus what their backward needs — the positions of the window
// maxima (MaxPool2d) or the input (AvgPool2d). No parameters.
import { expectSameDType, expectShape } from '../checks';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, type AvgPool2dOptions, type Pool2dOptions } from '../ops/pool2d';
import type { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** The maximum of each window (spec/ops/max_pool2d.md); dy goes to the window's first maximum. */
export class MaxPool2d implements Layer {
  private cache: { xShape: readonly number[]; y: Tensor; argmax: Int32Array } | null = null;

  constructor(readonly options: Pool2dOptions) {}

  forward(x: Tensor): Tensor {
    const { y, argmax } = maxPool2d(x, this.options);
    this.cache = { xShape: x.shape, y, argmax };
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.cache === null) throw backwardBeforeForward('max_pool2d');
    expectShape('max_pool2d', gradOutput, 'gradOutput', this.cache.y.shape, 'output');
    expectSameDType('max_pool2d', gradOutput, 'gradOutput', this.cache.y, 'output');
    return maxPool2dBackward(this.cache.xShape, this.cache.argmax, gradOutput);
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** The mean of each window (spec/ops/avg_pool2d.md). */
export class AvgPool2d implements Layer {
  private input: Tensor | null = null;

  constructor(readonly options: AvgPool2dOptions) {}

  forward(x: Tensor): Tensor {
    this.input = x;
    return avgPool2d(x, this.options);
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('avg_pool2d');
    return avgPool2dBackward(this.input, gradOutput, this.options);
  }

  parameters(): Parameter[] {
    return [];
  }
}
