import { niceTicks, renderChart } from '../../cli/plot/svg';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k and covers the range', () => {
    const ticks = niceTicks(0.03, 0.97);
    const step = ticks[1]! - ticks[0]!;
    expect([0.1, 0.2, 0.5]).toContainEqual(Number(step.toPrecision(6)));
    expect(ticks[0]!).toBeLessThanOrEqual(0.03 + step);
    expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(0.97 - step);
  });

  it('returns the single value of an empty range', () => {
    expect(niceTicks(2, 2)).toEqual([2]);
  });
});

describe('renderChart', () => {
  const svg = renderChart(
    [
      { title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true, series: [{ name: 'train <&> "x"', points: [[1, 2.3], [2, 0.5], [3, NaN]] }] },
      { title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', yRange: [0, 1], series: [{ name: 'test', points: [[1, 0.9], [2, 0.95]], dashed: true }] },
    ],
    { title: 'MLP 784-50-10' },
  );

  it('is one SVG document with both panels, the title and one path per series', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const text of ['MLP 784-50-10', 'Loss', 'Accuracy', 'epoch']) expect(svg).toContain(`>${text}<`);
    expect((svg.match(/<path /g) ?? []).length + (svg.match(/<polyline /g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('escapes legend text and never writes NaN or Infinity into coordinates', () => {
    expect(svg).toContain('train &lt;&amp;&gt; &quot;x&quot;');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});
