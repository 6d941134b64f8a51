// The Softmax layer: ops/softmax.ts plus the cached output its backward needs.
import { softmax, softmaxBackward } from '../ops/softmax';
import { OutputCachingLayer } from './layer';

/** Softmax over the last axis; backward dx = y ⊙ (dy − Σ_last(dy ⊙ y)). */
export class Softmax extends OutputCachingLayer {
  constructor() {
    super('softmax', softmax, softmaxBackward);
  }
}
