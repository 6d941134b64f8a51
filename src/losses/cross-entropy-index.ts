// cross_entropy_index (spec/ops/cross_entropy_index.md): logits z (batch×classes), int64 class indices
// t (batch). L = nll(log_softmax(z), t) with ignore_index: −Σ_kept log_softmax(z)[b, t_b], ÷ K kept
// rows for 'mean'; dL/dz = (softmax(z) − one_hot(t)) · seed (÷ K for mean) on kept rows, 0 on ignored rows.
import { expectFiniteNumber } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { logSoftmax, softmax } from '../ops/softmax';
import { Tensor } from '../tensor';
import type { Loss } from './loss';
import { type ClassIndexOptions, classIndexOptions, classesOf, keptScale, pickedLoss } from './nll';

/** Softmax cross-entropy with class-index targets and ignore_index, as torch.nn.functional.cross_entropy. */
export class CrossEntropyIndex implements Loss {
  readonly reduction: 'mean' | 'sum';
  readonly ignoreIndex: number;
  private cache: { logits: Tensor; classes: Int32Array } | null = null;

  constructor(options: ClassIndexOptions = {}) {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    ({ reduction: this.reduction, ignoreIndex: this.ignoreIndex } = classIndexOptions('cross_entropy_index', options));
  }

  forward(logits: Tensor, target: Tensor): number {
    // Stryker disable next-line StringLiteral: op and tensor names used only in error messages; no valid case throws
    const classes = classesOf('cross_entropy_index', logits, 'logits', target, this.ignoreIndex);
    this.cache = { logits, classes };
    return pickedLoss(logSoftmax(logits), classes, this.reduction);
  }

  /** dL/dlogits = seed · (softmax(z) − one_hot(t)) on kept rows (÷ K for mean); ignored rows get 0. */
  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('cross_entropy_index');
    expectFiniteNumber('cross_entropy_index', gradOutput, 'gradOutput');
    const { logits, classes } = this.cache;
    const width = logits.shape[1]!;
    const scale = keptScale(classes, this.reduction, gradOutput);
    const p = softmax(logits);
    const grad = Tensor.zeros(logits.shape, logits.dtype);
    classes.forEach((c, b) => {
      if (c < 0) return;
      for (let j = 0; j < width; j++) grad.data[b * width + j] = scale * (p.data[b * width + j]! - (j === c ? 1 : 0));
    });
    return grad;
  }
}
