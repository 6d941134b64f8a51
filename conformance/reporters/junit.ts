// The JUnit XML report, as CI systems read it: one <testsuite> per op, one <testcase> per case.
// fail and xpass are <failure>, error is <error>, refused / skip / xfail / not-run are <skipped> with the reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseResult } from '../results';
import type { Reporter, RunResult } from '../runner';

export const DEFAULT_JUNIT_PATH = 'reports/junit.xml';

/**
 * Text safe for XML 1.0 content and attribute values. Characters XML 1.0 forbids outright (C0
 * controls but tab/newline/return, U+FFFE/U+FFFF, unpaired surrogates) cannot even be written as
 * character references, so they become a visible `\uXXXX`.
 */
export function escapeXml(text: string, attribute = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + text[i + 1]!;
        i++;
        continue;
      }
      out += visible(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += visible(c);
    else if (c === 0xfffe || c === 0xffff) out += visible(c);
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    // In attributes a raw newline or tab would be normalised to a space by the parser.
    else if (attribute && (c === 0x9 || c === 0xa || c === 0xd)) out += `&#${c};`;
    else if (c === 0xd) out += '&#13;';
    else if (c < 0x20 && c !== 0x9 && c !== 0xa) out += visible(c);
    else out += ch;
  }
  return out;
}

function visible(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

const attr = (s: string): string => `"${escapeXml(s, true)}"`;
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function buildJunitReport(run: RunResult, options: { onlyFailed?: boolean } = {}): string {
  const byOp = new Map<string, CaseResult[]>();
  for (const c of run.cases) {
    if (options.onlyFailed && c.status === 'pass') continue;
    byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  }
  const count = (cases: CaseResult[]) => ({
    tests: cases.length,
    failures: cases.filter((c) => c.status === 'fail' || c.status === 'xpass').length,
    errors: cases.filter((c) => c.status === 'error').length,
    skipped: cases.filter((c) => c.status === 'refused' || c.status === 'skip' || c.status === 'xfail' || c.status === 'not-run').length,
    time: cases.reduce((t, c) => t + c.durationMs, 0),
  });
  const all = [...byOp.values()].flat();
  const runError = run.runError !== undefined ? runErrorSuite(run.runError) : [];
  const totals = count(all);
  if (runError.length) {
    totals.tests++;
    totals.errors++;
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(`gradspec: ${run.implementation.name}`)} tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(run.durationMs)}" timestamp=${attr(run.started.toISOString())}>`,
  ];
  for (const [op, cases] of byOp) {
    const n = count(cases);
    lines.push(`  <testsuite name=${attr(op)} tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${seconds(n.time)}">`);
    for (const c of cases) lines.push(...testcase(op, c));
    lines.push('  </testsuite>');
  }
  lines.push(...runError, '</testsuites>', '');
  return lines.join('\n');
}

/** A run error (nothing judged, no implementation) as an erroring test, so a CI dashboard never shows the run green. */
function runErrorSuite(reason: string): string[] {
  return [
    '  <testsuite name="gradspec" tests="1" failures="0" errors="1" skipped="0" time="0.000">',
    '    <testcase classname="gradspec" name="run" time="0.000">',
    `      <error message=${attr(reason)} type="run">${escapeXml(reason)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ];
}

function testcase(op: string, c: CaseResult): string[] {
  const open = `    <testcase classname=${attr(`gradspec.${op}`)} name=${attr(c.id.slice(op.length + 1))} time="${seconds(c.durationMs)}"`;
  const firstLine = c.message.split('\n')[0] ?? '';
  const body = (tag: string, type: string) => [`${open}>`, `      <${tag} message=${attr(firstLine)} type=${attr(type)}>${escapeXml(c.message)}</${tag}>`, '    </testcase>'];
  switch (c.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      return body('failure', c.failures.map((f) => f.kind).filter((k, i, all) => all.indexOf(k) === i).join(',') || 'fail');
    case 'xpass':
      return body('failure', 'xpass');
    case 'error':
      return body('error', 'error');
    case 'refused':
    case 'skip':
    case 'xfail':
    case 'not-run': {
      const skipped = `      <skipped message=${attr(`${c.status}: ${c.reason ?? ''}`)}/>`;
      // An xfail keeps the failure it was expected to have, for whoever wonders whether it changed.
      const out = c.status === 'xfail' ? [`      <system-out>${escapeXml(c.message)}</system-out>`] : [];
      return [`${open}>`, skipped, ...out, '    </testcase>'];
    }
  }
}

export function createJunitReporter(options: { path: string; onlyFailed?: boolean }): Reporter & { path: string } {
  return {
    path: options.path,
    finish(run) {
      mkdirSync(dirname(options.path), { recursive: true });
      writeFileSync(options.path, buildJunitReport(run, options));
    },
  };
}
