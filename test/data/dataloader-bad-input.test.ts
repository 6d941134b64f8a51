// DataLoader constructed without what it needs: one sentence naming it, never a TypeError.
import { DataLoader } from '../../src/data/dataloader';
import { Tensor } from '../../src/tensor';

const x = Tensor.zeros([4, 2]), y = Tensor.zeros([4, 1]);
const construct = (...args: unknown[]) => () => new (DataLoader as unknown as new (...a: unknown[]) => DataLoader)(...args);

describe('DataLoader rejects missing or malformed arguments', () => {
  test('no options', () => {
    expect(construct(x, y)).toThrow(/^dataloader: options are required, at least \{ batchSize \}; got undefined$/);
    expect(construct(x, y, null)).toThrow(/^dataloader: options are required, at least \{ batchSize \}; got null$/);
  });

  test('options without a batch size', () => {
    expect(construct(x, y, {})).toThrow(/^dataloader: batchSize must be a positive integer, got undefined$/);
  });

  test('x or y not a tensor', () => {
    expect(construct([[1, 2]], y, { batchSize: 2 })).toThrow(/^dataloader: x and y must be Tensors, got an array and a Tensor$/);
    expect(construct(x, undefined, { batchSize: 2 })).toThrow(/^dataloader: x and y must be Tensors, got a Tensor and undefined$/);
  });
});
