// Parameter grids shared by case files (the WebGPU CTS way: a named set of parameters combined on
// purpose, instead of the same literal table pasted into every file).
import type { Feature } from '../spec/types/fixture';

export interface ShapeCase {
  /** The case id suffix, e.g. 'random-3x5x7'. */
  id: string;
  shape: number[];
  features: Feature[];
}

/** Random inputs of an elementwise op: a 1×1, a batch of 1, an odd rank-3 shape, a large matrix. */
export const ELEMENTWISE_SHAPES: readonly ShapeCase[] = [
  { id: 'random-1x1', shape: [1, 1], features: ['batch-1', 'odd-shape'] },
  { id: 'random-batch-1', shape: [1, 7], features: ['batch-1'] },
  { id: 'random-3x5x7', shape: [3, 5, 7], features: ['odd-shape'] },
  { id: 'random-64x50', shape: [64, 50], features: ['large'] },
];
