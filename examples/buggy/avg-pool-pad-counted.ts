// avg_pool2d that always divides by the full window kH·kW, also when count_include_pad = false asks
// for the number of real (unpadded) elements (avg_pool2d f2).
//   npx gradspec run --impl examples/buggy/avg-pool-pad-counted.ts
import { substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) => substitute(base, 'avg_pool2d', 'padding counted', (request, ref) => ref.run({ ...request, attributes: { ...request.attributes, count_include_pad: true } })),
  { breaks: ['avg_pool2d'], rule: 'spec/ops/avg_pool2d.md#f2', cases: { ids: ['avg_pool2d/readable-exclude-pad', 'avg_pool2d/readable-include-pad'] } },
);
