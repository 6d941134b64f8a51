// The reference API names bad input by op and value (issue 12's list): no raw typed-array errors, no
// "[object Object]", no negative learning rate taken silently.
import { CrossEntropy, Linear, SGD, Tensor } from '../../src';

it.each([
  [() => new Linear(1e5, 1e5), 'linear: a 100000×100000 weight has 10000000000 elements, more than the 2147483647 one tensor can hold'],
  [() => new Linear('3' as unknown as number, 5), "linear: inFeatures must be a positive integer, got '3' (a string)"],
  [() => new SGD([], { lr: NaN } as unknown as number), 'sgd: learning rate must be a finite number, got { lr: NaN } (an object)'],
  [() => new SGD([], -1), 'sgd: learning rate must not be negative, got -1'],
  [() => new CrossEntropy().forward(Tensor.zeros([2, 3]), [0, 1] as unknown as Tensor), 'cross_entropy: target must be a Tensor, got [0, 1] (an array); pass one-hot rows'],
])('%#: %s', (make, message) => {
  expect(make).toThrow(message);
});
