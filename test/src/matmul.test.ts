import { Rng, Tensor, matmul, matmulBackward } from '../../src';
import { expectClose, randomTensor } from './helpers/numeric';

const rng = new Rng(1);

describe('matmul', () => {
  test('multiplies a readable 2×3 by 3×2', () => {
    const a = Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = Tensor.fromArray([7, 8, 9, 10, 11, 12], [3, 2]);
    expect(Array.from(matmul(a, b).data)).toEqual([58, 64, 139, 154]);
    expect(matmul(a, b).shape).toEqual([2, 2]);
  });

  test('backward: gradA = dY·Bᵀ and gradB = Aᵀ·dY', () => {
    const a = randomTensor(rng, [3, 4]), b = randomTensor(rng, [4, 5]), g = randomTensor(rng, [3, 5]);
    const { gradA, gradB } = matmulBackward(a, b, g);
    const transpose = (t: Tensor): Tensor => {
      const [r, c] = t.shape as [number, number];
      return Tensor.fromArray(Array.from({ length: r * c }, (_, i) => t.data[(i % r) * c + Math.floor(i / r)]!), [c, r]);
    };
    expectClose(gradA, matmul(g, transpose(b)), 1e-12);
    expectClose(gradB, matmul(transpose(a), g), 1e-12);
  });

  test('rejects an inner-dimension mismatch, naming both shapes', () => {
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))).toThrow(/^matmul: cannot multiply \(2×3\) by \(4×5\): inner dimensions 3 ≠ 4$/);
  });

  test('rejects tensors that are not 2-D', () => {
    expect(() => matmul(Tensor.zeros([2, 3, 4]), Tensor.zeros([4, 5]))).toThrow(/^matmul: expected 2-D tensors, got \(2×3×4\)$/);
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([3]))).toThrow(/^matmul: expected 2-D tensors, got \(3\)$/);
  });

  test('rejects a dtype mismatch, naming both dtypes', () => {
    expect(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([3, 4], 'float32'))).toThrow(/matmul: dtype mismatch: A is float64 \(2×3\) but B is float32 \(3×4\)/);
  });

  test('backward rejects a gradOutput of the wrong shape', () => {
    expect(() => matmulBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 4]), Tensor.zeros([2, 5]))).toThrow(/matmul: gradOutput \(2×5\) does not match output \(2×4\)/);
  });

  test('float32 in, float32 out', () => {
    const y = matmul(randomTensor(rng, [2, 3], 'float32'), randomTensor(rng, [3, 2], 'float32'));
    expect(y.dtype).toBe('float32');
  });
});
