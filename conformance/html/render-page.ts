// One self-contained HTML file: page.html with page.css and page.js inlined and the page data as a
// JSON script block. No network: a Content-Security-Policy allows only the page's own script (by
// hash) and inline style. Every byte of the data that could end the script block is escaped.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PageData } from './page-data';

const asset = (name: string): string => readFileSync(join(__dirname, name), 'utf8');

/** JSON safe inside <script type="application/json">: no '<' (so no '</script>' or '<!--'), and non-finite numbers as strings, as in the JSON report. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(data: PageData): string {
  const script = asset('page.js');
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:`;
  const values: Record<string, string> = { csp: escapeHtml(csp), title: escapeHtml(data.title), style: asset('page.css'), data: embedJson(data), script };
  // One pass over the template: inserted text is never scanned for another {{slot}}.
  return asset('page.html').replace(/\{\{(\w+)\}\}/g, (slot: string, name: string) => values[name] ?? slot);
}
