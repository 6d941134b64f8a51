// Plain-text tables and numbers for the bench's console output.

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fixed = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** `part` as a percentage of `whole`, e.g. '23%'. */
export const share = (part: number, whole: number): string => `${Math.round((100 * part) / whole)}%`;
