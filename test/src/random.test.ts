import { Rng } from '../../src';

describe('Rng', () => {
  test('the same seed gives the same stream; different seeds differ', () => {
    const draw = (seed: number): number[] => { const r = new Rng(seed); return [r.nextUint32(), r.uniform(), r.normal(), r.normal()]; };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test('normal draws have mean ≈ 0 and std ≈ 1; uniform draws lie in [0, 1)', () => {
    const r = new Rng(1);
    const n = 20000;
    let sum = 0, sumSq = 0;
    for (let i = 0; i < n; i++) { const v = r.normal(); sum += v; sumSq += v * v; }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(sumSq / n) - 1)).toBeLessThan(0.03);
    for (let i = 0; i < 1000; i++) { const u = r.uniform(); expect(u >= 0 && u < 1).toBe(true); }
  });

  test('rejects a non-integer seed', () => {
    expect(() => new Rng(0.5)).toThrow(/^random: seed must be an integer, got 0.5$/);
  });
});
