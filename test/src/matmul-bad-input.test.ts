// matmul called with something that is not a Tensor: one sentence naming the op and the operand,
// never "Cannot read properties of undefined".
import { Tensor, matmul, matmulBackward, matmulGradA, matmulGradB } from '../../src';

const t23 = Tensor.zeros([2, 3]), t34 = Tensor.zeros([3, 4]);
const call = (f: (...args: never[]) => unknown, ...args: unknown[]) => () => (f as (...a: unknown[]) => unknown)(...args);

describe('matmul rejects operands that are not tensors', () => {
  test('plain arrays, with a hint to wrap them', () => {
    expect(call(matmul, [[1, 2, 3]], t34)).toThrow(/^matmul: A must be a Tensor, got an array \(wrap it: Tensor\.fromArray\(values, shape\)\)$/);
    expect(call(matmul, t23, [1, 2, 3])).toThrow(/^matmul: B must be a Tensor, got an array/);
    expect(call(matmul, t23, new Float64Array(12))).toThrow(/^matmul: B must be a Tensor, got a Float64Array \(wrap it/);
  });

  test('undefined and null', () => {
    expect(call(matmul, undefined, t34)).toThrow(/^matmul: A must be a Tensor, got undefined$/);
    expect(call(matmul, t23, null)).toThrow(/^matmul: B must be a Tensor, got null$/);
    expect(call(matmul)).toThrow(/^matmul: A must be a Tensor, got undefined$/);
  });

  test('in the backward functions too, gradOutput included', () => {
    expect(call(matmulGradA, t23, undefined, Tensor.zeros([2, 4]))).toThrow(/^matmul: B must be a Tensor, got undefined$/);
    expect(call(matmulGradB, t23, t34, [[0]])).toThrow(/^matmul: gradOutput must be a Tensor, got an array/);
    expect(call(matmulBackward, t23, t34, 3)).toThrow(/^matmul: gradOutput must be a Tensor, got a number$/);
  });
});

describe('matmul into a caller\'s tensor (what a layer reusing its arrays passes)', () => {
  test('writes the product there and returns it', () => {
    const a = Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]), b = Tensor.fromArray([1, 0, 0, 1, 1, 1], [3, 2]);
    const into = Tensor.fromArray([NaN, NaN, NaN, NaN], [2, 2]);
    expect(matmul(a, b, into)).toBe(into);
    expect(Array.from(into.data)).toEqual(Array.from(matmul(a, b).data));
    const gradA = Tensor.zeros([2, 3]);
    expect(matmulGradA(a, b, Tensor.fromArray([1, 2, 3, 4], [2, 2]), gradA)).toBe(gradA);
  });

  test('a tensor of the wrong shape or dtype, or not a tensor, is named', () => {
    expect(call(matmul, t23, t34, Tensor.zeros([3, 4]))).toThrow(/^matmul: output \(3×4\) does not match result \(2×4\)$/);
    expect(call(matmul, t23, t34, Tensor.zeros([2, 4], 'float32'))).toThrow(/^matmul: dtype mismatch: output is float32 \(2×4\) but A is float64 \(2×3\)$/);
    expect(call(matmul, t23, t34, new Float64Array(8))).toThrow(/^matmul: output must be a Tensor, got a Float64Array/);
    expect(call(matmulGradA, t23, t34, Tensor.zeros([2, 4]), Tensor.zeros([3, 2]))).toThrow(/^matmul: gradA \(3×2\) does not match result \(2×3\)$/);
  });
});
