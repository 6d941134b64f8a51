// A small hand-written SVG line plot: panels side by side, each with axes, ticks, a legend and
// several series. No dependencies and no imports from src/, so any script can draw its curves.

export interface Series {
  name: string;
  /** [x, y] points; non-finite y values break the line instead of ruining the scale. */
  points: Array<[number, number]>;
  color?: string;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Fixed y range, e.g. [0, 1] for accuracy; otherwise fitted to the data. */
  yRange?: [number, number];
  /** Logarithmic y axis (decade ticks); non-positive values are dropped. */
  logY?: boolean;
}

export interface ChartOptions {
  title?: string;
  panelWidth?: number;
  panelHeight?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 64, right: 16, top: 34, bottom: 48 };
const LEGEND_ROW = 16;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number): string => Number(n.toFixed(2)).toString();

/** About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const rough = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return Number(v.toPrecision(6)).toString();
}

interface Scale {
  lo: number;
  hi: number;
  map(v: number): number;
  ticks: number[];
}

function linearScale(lo: number, hi: number, pixelLo: number, pixelHi: number, fixed: boolean): Scale {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  let ticks = niceTicks(lo, hi);
  if (!fixed) {
    // Widen to the outer ticks so the frame ends on a labelled value.
    const first = ticks[0] ?? lo;
    const step = ticks.length > 1 ? ticks[1]! - first : hi - lo;
    if (first > lo + 1e-12) ticks = [first - step, ...ticks];
    const last = ticks[ticks.length - 1] ?? hi;
    if (last < hi - 1e-12) ticks = [...ticks, last + step];
    lo = ticks[0] ?? lo;
    hi = ticks[ticks.length - 1] ?? hi;
  }
  return { lo, hi, ticks, map: (v) => pixelLo + ((v - lo) / (hi - lo)) * (pixelHi - pixelLo) };
}

function logScale(lo: number, hi: number, pixelLo: number, pixelHi: number): Scale {
  const a = Math.floor(Math.log10(lo));
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi)));
  const ticks: number[] = [];
  for (let k = a; k <= b; k++) ticks.push(10 ** k);
  return { lo: 10 ** a, hi: 10 ** b, ticks, map: (v) => pixelLo + ((Math.log10(v) - a) / (b - a)) * (pixelHi - pixelLo) };
}

function renderPanel(panel: Panel, x0: number, y0: number, width: number, height: number): string {
  const legendHeight = LEGEND_ROW * panel.series.length;
  const plotLeft = x0 + MARGIN.left;
  const plotRight = x0 + width - MARGIN.right;
  const plotTop = y0 + MARGIN.top;
  const plotBottom = y0 + height - MARGIN.bottom - legendHeight;
  const keep = (y: number): boolean => Number.isFinite(y) && (!panel.logY || y > 0);

  const xs = panel.series.flatMap((s) => s.points.map((p) => p[0])).filter(Number.isFinite);
  const ys = panel.series.flatMap((s) => s.points.map((p) => p[1])).filter(keep);
  const xScale = linearScale(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, plotLeft, plotRight, true);
  let yScale: Scale;
  if (panel.yRange) yScale = linearScale(panel.yRange[0], panel.yRange[1], plotBottom, plotTop, true);
  else if (panel.logY) yScale = logScale(ys.length ? Math.min(...ys) : 1, ys.length ? Math.max(...ys) : 10, plotBottom, plotTop);
  else yScale = linearScale(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, plotBottom, plotTop, false);

  const out: string[] = [];
  out.push(`<text x="${fmt((plotLeft + plotRight) / 2)}" y="${fmt(y0 + 20)}" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
  // Grid and ticks.
  for (const t of yScale.ticks) {
    const y = yScale.map(t);
    out.push(`<line x1="${fmt(plotLeft)}" y1="${fmt(y)}" x2="${fmt(plotRight)}" y2="${fmt(y)}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${fmt(plotLeft - 5)}" y1="${fmt(y)}" x2="${fmt(plotLeft)}" y2="${fmt(y)}" stroke="#333"/>`);
    out.push(`<text x="${fmt(plotLeft - 8)}" y="${fmt(y + 4)}" text-anchor="end" font-size="11">${tickLabel(t)}</text>`);
  }
  const integerX = xs.every(Number.isInteger); // epochs: no tick at 1.5
  const xTicks = niceTicks(xScale.lo, xScale.hi, 6).filter((t) => t >= xScale.lo - 1e-9 && t <= xScale.hi + 1e-9 && (!integerX || Number.isInteger(t)));
  for (const t of xTicks) {
    const x = xScale.map(t);
    out.push(`<line x1="${fmt(x)}" y1="${fmt(plotBottom)}" x2="${fmt(x)}" y2="${fmt(plotBottom + 5)}" stroke="#333"/>`);
    out.push(`<text x="${fmt(x)}" y="${fmt(plotBottom + 18)}" text-anchor="middle" font-size="11">${tickLabel(t)}</text>`);
  }
  // Axes and labels.
  out.push(`<rect x="${fmt(plotLeft)}" y="${fmt(plotTop)}" width="${fmt(plotRight - plotLeft)}" height="${fmt(plotBottom - plotTop)}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${fmt((plotLeft + plotRight) / 2)}" y="${fmt(plotBottom + 36)}" text-anchor="middle" font-size="12">${esc(panel.xLabel)}</text>`);
  const yMid = (plotTop + plotBottom) / 2;
  out.push(`<text x="${fmt(x0 + 16)}" y="${fmt(yMid)}" text-anchor="middle" font-size="12" transform="rotate(-90 ${fmt(x0 + 16)} ${fmt(yMid)})">${esc(panel.yLabel)}</text>`);
  // Lines: a non-finite or out-of-scale point starts a new segment.
  panel.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const segments: string[][] = [[]];
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !keep(y)) {
        if (segments[segments.length - 1]!.length) segments.push([]);
        continue;
      }
      const yc = Math.min(Math.max(y, yScale.lo), yScale.hi); // a fixed range clips instead of escaping the frame
      segments[segments.length - 1]!.push(`${fmt(xScale.map(x))},${fmt(yScale.map(yc))}`);
    }
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    for (const seg of segments) {
      if (seg.length === 1) out.push(`<circle cx="${seg[0]!.split(',')[0]}" cy="${seg[0]!.split(',')[1]}" r="2.5" fill="${color}"/>`);
      else if (seg.length > 1) out.push(`<polyline points="${seg.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    }
    // Legend row under the axis label.
    const ly = plotBottom + 44 + i * LEGEND_ROW + 8;
    out.push(`<line x1="${fmt(plotLeft)}" y1="${fmt(ly - 4)}" x2="${fmt(plotLeft + 24)}" y2="${fmt(ly - 4)}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${fmt(plotLeft + 30)}" y="${fmt(ly)}" font-size="11">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** An SVG document with the panels side by side. */
export function renderChart(panels: Panel[], options: ChartOptions = {}): string {
  const panelWidth = options.panelWidth ?? 420;
  const maxSeries = Math.max(0, ...panels.map((p) => p.series.length));
  const panelHeight = (options.panelHeight ?? 300) + LEGEND_ROW * maxSeries;
  const titleHeight = options.title ? 28 : 0;
  const width = panelWidth * Math.max(1, panels.length);
  const height = panelHeight + titleHeight;
  const body = panels.map((p, i) => renderPanel(p, i * panelWidth, titleHeight, panelWidth, panelHeight - LEGEND_ROW * (maxSeries - p.series.length)));
  const title = options.title
    ? `<text x="${fmt(width / 2)}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(options.title)}</text>\n`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n` +
    title +
    body.join('\n') +
    '\n</svg>\n'
  );
}
