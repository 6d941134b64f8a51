// The reference Dropout (spec/ops/dropout.md): the caller's mask, the same mask in backward, eval as
// the identity, a seeded mask generator, and bad input as an Error naming the op and the fault.
import { Dropout, Rng, Tensor, bernoulliMasks, dropout } from '../../src';

const x = Tensor.fromArray([1, -2, 3, -4], [2, 2]);
const mask = Tensor.fromArray([1, 0, 0, 1], [2, 2]);

test('training: y = x·mask/(1 − p), and backward goes through the same mask and scale', () => {
  const layer = new Dropout({ p: 0.75 }).useMask(mask);
  expect(Array.from(layer.forward(x).data)).toEqual([4, -0, 0, -16]);
  expect(Array.from(layer.backward(Tensor.fromArray([1, 1, 1, 1], [2, 2])).data)).toEqual([4, 0, 0, 4]);
});

test('eval: the identity, the mask ignored; forward and backward return new tensors', () => {
  const layer = new Dropout({ p: 0.5, training: false }).useMask(mask);
  const y = layer.forward(x);
  expect(Array.from(y.data)).toEqual([1, -2, 3, -4]);
  expect(y).not.toBe(x);
  const g = Tensor.fromArray([1, 2, 3, 4], [2, 2]);
  const dx = layer.backward(g);
  expect(Array.from(dx.data)).toEqual([1, 2, 3, 4]);
  expect(dx).not.toBe(g);
});

test('a seeded generator draws reproducible 0/1 masks', () => {
  const draw = () => new Dropout({ p: 0.5, masks: bernoulliMasks(new Rng(7), 0.5) }).forward(Tensor.fromArray(new Array<number>(64).fill(1), [8, 8]));
  const first = draw();
  expect(Array.from(first.data)).toEqual(Array.from(draw().data));
  expect(new Set(first.data)).toEqual(new Set([0, 2]));
});

test('bad input: p, the mask, a training forward without a mask, backward before forward', () => {
  expect(() => new Dropout({ p: 1 })).toThrow(/^dropout: p must be in \[0, 1\), got 1$/);
  expect(() => dropout(x, Tensor.fromArray([1, 0.5, 0, 1], [2, 2]), 0.5)).toThrow(/^dropout: mask holds 0.5 at \[0,1\]; every element must be 0 \(drop\) or 1 \(keep\)$/);
  expect(() => dropout(x, Tensor.zeros([4]), 0.5)).toThrow(/^dropout: mask \(4\) does not match x \(2×2\)$/);
  expect(() => new Dropout().forward(x)).toThrow(/^dropout: no mask for a training forward/);
  expect(() => new Dropout().backward(x)).toThrow(/^dropout: backward called before forward$/);
});
