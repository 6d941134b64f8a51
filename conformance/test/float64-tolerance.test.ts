// Contract 2.0 on a sample: for every op, its largest float64 case (the one whose arithmetic is least likely to
// be exact) is failed by the reference computing in float32. The whole corpus: float64-tolerance.corpus.test.ts.
import { numel } from '../../spec/format';
import { loadFixtures, type LoadedFixture } from '../loader';
import { judgeFloat32Cheat } from './float32-cheat';

function size(f: LoadedFixture): number {
  return Object.values(f.fixture.inputs).reduce((n, t) => n + numel(t.shape), 0);
}

const largestPerOp = new Map<string, LoadedFixture>();
for (const f of loadFixtures().fixtures) {
  if (f.fixture.dtype !== 'float64') continue;
  const best = largestPerOp.get(f.op);
  if (!best || size(f) > size(best)) largestPerOp.set(f.op, f);
}

it('float32 arithmetic fails the largest float64 case of every op', async () => {
  const sample = [...largestPerOp.values()];
  const { failed, passedInexact } = await judgeFloat32Cheat(sample);
  expect(passedInexact).toEqual([]);
  expect(failed).toBe(sample.length);
}, 60_000);
