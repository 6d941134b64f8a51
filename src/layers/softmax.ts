// The Softmax layer: ops/softmax.ts plus the cached output its backward needs.
import { softmax, softmaxBackward } from '../ops/softmax';
import { OutputCachingLayer } from './layer';

/** Softmax over the last axis; backward dx = y ⊙ (dy − Σ_last(dy ⊙ y)). */
export class Softmax extends OutputCachingLayer {
  constructor() {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    super('softmax', softmax, softmaxBackward);
  }
}
