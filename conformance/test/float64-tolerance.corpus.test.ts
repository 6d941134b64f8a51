// Contract 2.0 over the whole corpus: the reference computing in float32 fails every float64 case it cannot
// compute float64-accurately (float32-cheat.ts). `npm test` runs a case per op (float64-tolerance.test.ts).
import { loadFixtures } from '../loader';
import { judgeFloat32Cheat } from './float32-cheat';

const float64 = loadFixtures().fixtures.filter((f) => f.fixture.dtype === 'float64');

it('float32 arithmetic fails every float64 case where it is not float64-accurate', async () => {
  const { failed, passedInexact } = await judgeFloat32Cheat(float64);
  expect(passedInexact).toEqual([]);
  expect(failed).toBeGreaterThan(float64.length / 2); // not blind: most cases are inexact in float32
}, 120_000);
