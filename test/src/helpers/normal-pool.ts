// Random operands for the kernel tests, fast: one pool of normal values drawn once per seed; each operand is a
// fresh copy of a slice of it (drawing hundreds of thousands of values per test is what would make a file slow).
import { Rng } from '../../../src';

/** A function giving `size` standard normal values: a copy of the pool, from a moving offset, wrapping around. */
export function normalPool(seed: number): (size: number) => Float64Array {
  const rng = new Rng(seed);
  const pool = new Float64Array(1 << 16);
  for (let i = 0; i < pool.length; i++) pool[i] = rng.normal();
  let cursor = 0;
  return (size) => {
    const x = new Float64Array(size);
    for (let i = 0; i < size; i++) x[i] = pool[(cursor + i) & (pool.length - 1)]!;
    cursor = (cursor + 7919 * size + 1) & (pool.length - 1);
    return x;
  };
}
