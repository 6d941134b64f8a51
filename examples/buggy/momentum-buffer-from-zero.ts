// SGD momentum whose buffer starts at zero, so dampening applies to the first gradient too.
//   npx gradspec run --impl examples/buggy/momentum-buffer-from-zero.ts
import { momentumBufferFromZero } from '../../conformance/test/broken/momentum-buffer-from-zero';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(momentumBufferFromZero, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#u4', cases: { ids: ['linear/momentum-dampening-4-steps'] },
  hint: /momentum_buffer differs after \d+ steps: the optimizer's state update is wrong \(the buffer starts as the first gradient itself, not at zero/,
});
