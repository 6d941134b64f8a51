import { Tensor, formatIndex, formatShape } from '../../src';

describe('Tensor', () => {
  test('wraps data with a frozen shape and reports dtype and size', () => {
    const t = new Tensor(new Float32Array(6), [2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(Tensor.zeros([4]).dtype).toBe('float64');
  });

  test('throws when the data does not fill the shape, naming both', () => {
    expect(() => new Tensor(new Float64Array(5), [2, 3])).toThrow(/tensor: 5 values do not fill shape \(2×3\), which holds 6/);
    expect(() => Tensor.fromArray([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values do not fill shape \(2×2\)/);
    expect(() => Tensor.zeros([2, -1])).toThrow(/tensor: shape \(2×-1\) has an invalid dimension -1/);
  });

  test('fromArray copies and rounds to float32; clone is independent', () => {
    const values = [0.1, 2, 3, 4];
    const t = Tensor.fromArray(values, [2, 2], 'float32');
    expect(t.data[0]).toBe(Math.fround(0.1));
    const c = t.clone();
    c.data[1] = 99;
    expect(t.data[1]).toBe(2);
    expect(c.dtype).toBe('float32');
    expect(c.shape).toEqual([2, 2]);
  });

  test('names bad input instead of failing inside a typed array (a shape string, an unknown dtype, a size no array holds)', () => {
    expect(() => new Tensor(new Float64Array(2), '2' as unknown as number[])).toThrow("tensor: shape must be an array of dimensions, got '2' (a string)");
    expect(() => Tensor.fromArray([1, 2], [2], 'int8' as 'float64')).toThrow("tensor: dtype must be 'float64' or 'float32', got 'int8' (a string)");
    expect(() => Tensor.zeros([1e9, 1e9])).toThrow('tensor: shape (1000000000×1000000000) holds 1000000000000000000 elements, more than the 2147483647 one tensor can hold');
    expect(() => Tensor.zeros([2, '3' as unknown as number])).toThrow("tensor: shape (2×3) has an invalid dimension '3' (a string)");
    expect(() => Tensor.fromArray(undefined as unknown as number[], [1])).toThrow('tensor: values must be an array of numbers, got undefined');
  });

  test('formats shapes and indices for messages', () => {
    expect(formatShape([2, 3])).toBe('(2×3)');
    expect(formatShape([])).toBe('()');
    expect(formatIndex(5, [2, 3])).toBe('[1,2]');
  });
});
