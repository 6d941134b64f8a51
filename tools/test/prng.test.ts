import { Prng } from '../prng';

const draw = (seed: string, n: number): number[] => {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => rng.normal());
};

describe('Prng', () => {
  it('gives the same stream for the same seed', () => {
    expect(draw('linear/batch-3', 100)).toEqual(draw('linear/batch-3', 100));
  });

  it('gives different streams for different seeds, even ones differing by a character', () => {
    expect(draw('relu/random-1x1', 10)).not.toEqual(draw('relu/random-1x2', 10));
  });

  it('is pinned: these values must never change, or every fixture would', () => {
    const rng = new Prng('gradspec');
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toMatchSnapshot();
  });

  it('draws standard normals with mean ≈ 0 and std ≈ 1', () => {
    const xs = draw('moments', 20000);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('draws uniforms in [0, 1) and integers in [0, n)', () => {
    const rng = new Prng('ranges');
    for (let i = 0; i < 1000; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });
});
