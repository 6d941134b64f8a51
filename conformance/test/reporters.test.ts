// The reports: JSON has the documented shape (non-finite numbers as strings), JUnit XML is well-formed
// and escapes everything XML 1.0 forbids, --save-only-failed leaves passing cases out, and the console
// report lists each failure with its message and a repro command, then the counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExpectations } from '../expectations';
import { createConsoleReporter } from '../reporters/console';
import { PassThrough } from 'node:stream';
import { buildJsonReport, createJsonReporter, serializeJsonReport } from '../reporters/json';
import { buildJunitReport, createJunitReporter, escapeXml } from '../reporters/junit';
import type { CaseResult } from '../results';
import { summarize, type RunResult } from '../runner';

const NASTY = 'bell \u0007 nul \u0000 esc \u001b ffff \uffff lone \ud800 pair \ud83d\ude00 tags <a> & "q" \'s\' ]]> tab\tcr\r';

function result(id: string, status: CaseResult['status'], extra: Partial<CaseResult> = {}): CaseResult {
  const op = id.split('/')[0] as CaseResult['op'];
  return { id, op, spec: `spec/ops/${op}.md#f1`, status, durationMs: 1.5, message: `${id} ${status}\nspec: spec/ops/${op}.md#f1`, failures: [], ...extra };
}

function sampleRun(): RunResult {
  const cases: CaseResult[] = [
    result('relu/readable', 'pass'),
    result('relu/nasty', 'fail', {
      message: `relu/nasty [forward] y[0] = NaN, expected 1 (${NASTY})\nspec: spec/ops/relu.md#f1`,
      failures: [
        {
          stage: 'forward',
          label: 'y',
          name: 'y',
          key: 'forward.y',
          rule: 'spec/ops/relu.md#f1',
          kind: 'values',
          detail: '[forward] forward.y (y)[0] = NaN, expected 1; rule: spec/ops/relu.md#f1',
          mismatched: 1,
          total: 3,
          unexpectedNonFinite: 1,
          worst: { index: [0], expected: 1, actual: NaN, absError: NaN, relError: NaN },
          tolerance: { rtol: 1e-7, atol: 1e-9 },
        },
      ],
    }),
    result('relu/crash', 'error', { message: 'relu/crash [error] no reply within 10 ms\nspec: spec/ops/relu.md#f1' }),
    result('softmax/too-slow', 'skip', { reason: 'hangs <here>', expectation: 'e.txt:1' }),
    result('softmax/float64', 'xfail', { reason: 'float32 only', expectation: 'e.txt:2' }),
    result('softmax/fixed', 'xpass', { reason: 'was broken', expectation: 'e.txt:3' }),
    result('mlp/deep', 'not-run', { reason: "op 'mlp' is not supported", durationMs: 0 }),
  ];
  return {
    implementation: { name: 'fake & <friends>' },
    started: new Date('2024-01-02T03:04:05.000Z'),
    finished: new Date('2024-01-02T03:04:06.500Z'),
    durationMs: 1500,
    cases,
    summary: summarize(cases),
    interrupted: false,
    unmatchedExpectations: parseExpectations('xfail gone/* # stale\n', 'e.txt'),
  };
}

describe('JSON report', () => {
  it('has the documented shape', () => {
    const report = JSON.parse(serializeJsonReport(buildJsonReport(sampleRun())));
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['gradspec', 'implementation', 'started', 'finished', 'durationMs', 'summary', 'cases', 'expectations']),
    );
    expect(report.gradspec).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), protocol: '1.3' });
    expect(report.implementation).toEqual({ name: 'fake & <friends>' });
    expect(report.started).toBe('2024-01-02T03:04:05.000Z');
    expect(report.durationMs).toBe(1500);
    expect(report.summary).toEqual({ pass: 1, fail: 1, error: 1, refused: 0, skip: 1, xfail: 1, xpass: 1, notRun: 1 });
    expect(report.cases).toHaveLength(7);
    for (const c of report.cases) expect(Object.keys(c).sort()).toEqual(['durationMs', 'expectation', 'failures', 'id', 'message', 'op', 'reason', 'spec', 'status']);
    const fail = report.cases.find((c: { id: string }) => c.id === 'relu/nasty');
    expect(fail.failures[0].worst).toEqual({ index: [0], expected: 1, actual: 'NaN', absError: 'NaN', relError: 'NaN' });
    expect(fail.failures[0]).toMatchObject({ key: 'forward.y', rule: 'spec/ops/relu.md#f1' }); // per failing tensor
    expect(fail.message).toContain(NASTY);
    expect(report.cases.find((c: { id: string }) => c.id === 'softmax/float64')).toMatchObject({ status: 'xfail', reason: 'float32 only', expectation: 'e.txt:2' });
    expect(report.cases[0].reason).toBeNull();
    expect(report.expectations.unmatched).toEqual([{ kind: 'xfail', glob: 'gone/*', reason: 'stale', source: 'e.txt:1' }]);
  });

  it('--save-only-failed keeps the counts but only the non-passing cases', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradspec-json-'));
    const path = join(dir, 'deep', 'r.json');
    createJsonReporter({ path, onlyFailed: true }).finish(sampleRun());
    const report = JSON.parse(readFileSync(path, 'utf8'));
    expect(report.onlyFailed).toBe(true);
    expect(report.summary.pass).toBe(1);
    expect(report.cases.map((c: { status: string }) => c.status)).toEqual(['fail', 'error', 'skip', 'xfail', 'xpass', 'not-run']);
  });
});

/** A minimal XML 1.0 well-formedness check (elements, attributes, text, references): returns the element tree. */
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) throw new Error(`character U+${c.toString(16)} is not allowed in XML 1.0`);
  }
  const unescape = (s: string, where: string): string => {
    if (/[<]/.test(s)) throw new Error(`raw '<' in ${where}`);
    return s.replace(/&([^;]*);?/g, (m, ref: string) => {
      if (!m.endsWith(';')) throw new Error(`unterminated reference in ${where}: ${m}`);
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (ref in named) return named[ref]!;
      const num = /^#(\d+)$/.exec(ref)?.[1] ?? (/^#x([0-9a-fA-F]+)$/.exec(ref) ? String(parseInt(ref.slice(2), 16)) : undefined);
      if (num === undefined) throw new Error(`bad reference &${ref}; in ${where}`);
      const c = Number(num);
      if (!(c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000)) throw new Error(`reference to a forbidden character &${ref};`);
      return String.fromCodePoint(c);
    });
  };
  let i = 0;
  const decl = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      if (stack.length === 0 && text.trim()) throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 40))}`);
      if (stack.length) stack[stack.length - 1]!.text += unescape(text, 'text');
      i = end < 0 ? xml.length : end;
      continue;
    }
    tag.lastIndex = i;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed markup at ${i}: ${JSON.stringify(xml.slice(i, i + 60))}`);
    i = tag.lastIndex;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = unescape(a[2]!, `attribute ${a[1]}`);
    }
    const el: XmlElement = { name: name!, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error('a second root element');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

describe('JUnit report', () => {
  const xml = buildJunitReport(sampleRun());

  it('is well-formed XML with a testsuite per op and a testcase per case', () => {
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ name: 'gradspec: fake & <friends>', tests: '7', failures: '2', errors: '1', skipped: '3', time: '1.500' });
    expect(root.children.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped])).toEqual([
      ['relu', '3', '1', '1', '0'],
      ['softmax', '3', '1', '0', '2'],
      ['mlp', '1', '0', '0', '1'],
    ]);
    const cases = root.children.flatMap((s) => s.children);
    expect(cases.map((c) => `${c.attrs.classname} ${c.attrs.name} ${c.children.map((x) => x.name).join(',')}`)).toEqual([
      'gradspec.relu readable ',
      'gradspec.relu nasty failure',
      'gradspec.relu crash error',
      'gradspec.softmax too-slow skipped',
      'gradspec.softmax float64 skipped,system-out',
      'gradspec.softmax fixed failure',
      'gradspec.mlp deep skipped',
    ]);
    expect(cases[0]!.attrs.time).toBe('0.002');
    expect(cases[3]!.children[0]!.attrs.message).toBe('skip: hangs <here>');
    expect(cases[5]!.children[0]!.attrs.type).toBe('xpass');
    expect(cases[2]!.children[0]!.text).toBe('relu/crash [error] no reply within 10 ms\nspec: spec/ops/relu.md#f1');
  });

  it('escapes markup and makes characters XML 1.0 forbids visible, keeping the rest of the message', () => {
    const nasty = parseXml(xml).children[0]!.children[1]!.children[0]!;
    expect(nasty.name).toBe('failure');
    expect(nasty.attrs.type).toBe('values');
    const expected = 'bell \\u0007 nul \\u0000 esc \\u001b ffff \\uffff lone \\ud800 pair \ud83d\ude00 tags <a> & "q" \'s\' ]]> tab\tcr\r';
    expect(nasty.text).toBe(`relu/nasty [forward] y[0] = NaN, expected 1 (${expected})\nspec: spec/ops/relu.md#f1`);
    // The first line of the message, in an attribute, keeps its tab and carriage return (as references).
    expect(nasty.attrs.message).toBe(`relu/nasty [forward] y[0] = NaN, expected 1 (${expected})`);
    expect(xml).toContain('tab&#9;cr&#13;)" type="values"');
    expect(escapeXml('a\nb\tc', true)).toBe('a&#10;b&#9;c');
    expect(escapeXml('a\nb\tc')).toBe('a\nb\tc');
  });

  // CI installs xmllint (.ci/run); elsewhere the test shows as skipped, and the structural check above still runs.
  const xmllint = existsSync('/usr/bin/xmllint') ? it : it.skip;
  xmllint('validates against conformance/reporters/junit.xsd (xmllint)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gradspec-junit-')), 'r.xml');
    writeFileSync(file, xml);
    const schema = join(__dirname, '..', 'reporters', 'junit.xsd');
    const lint = spawnSync('/usr/bin/xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
    expect(lint.stderr.trim()).toBe(`${file} validates`);
    expect(lint.status).toBe(0);
  });

  it('--save-only-failed leaves the passing cases out', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gradspec-junit-')), 'junit.xml');
    createJunitReporter({ path, onlyFailed: true }).finish(sampleRun());
    const root = parseXml(readFileSync(path, 'utf8'));
    expect(root.attrs.tests).toBe('6');
    expect(root.children.flatMap((s) => s.children).map((c) => c.attrs.name)).not.toContain('readable');
  });
});

describe('console report', () => {
  function render(options: { verbose?: boolean } = {}): string {
    let out = '';
    const run = sampleRun();
    const reporter = createConsoleReporter({ out: { write: (s: string) => (out += s) }, repro: (id) => `npx gradspec run --impl fake --id '${id}'`, reports: ['reports/x.json'], ...options });
    reporter.onRunStart!({ implementation: run.implementation, cases: run.cases });
    run.cases.forEach((c, i) => reporter.onCaseEnd!(c, i, run.cases.length));
    reporter.finish(run);
    return out;
  }

  it('prints a line per op, each failure with its message and repro, then the counts', () => {
    const out = render();
    expect(out).toMatch(/^gradspec: 7 cases \(3 ops\) against fake & <friends>\n/);
    expect(out).toMatch(/\n {2}relu +3 cases: 1 pass, 1 fail, 1 error +\d/);
    expect(out).toMatch(/\n {2}mlp +1 case: +1 not run +0\.0 ms\n/);
    // Control characters from an implementation's message cannot drive the terminal.
    expect(out).toContain('(bell \\u0007 nul \\u0000 esc \\u001b ffff');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(out).toContain("FAIL relu/nasty\n  relu/nasty [forward] y[0] = NaN, expected 1 (");
    expect(out).toContain("  repro: npx gradspec run --impl fake --id 'relu/nasty'");
    expect(out).toContain("XPASS softmax/fixed\n  softmax/fixed xpass\n  spec: spec/ops/softmax.md#f1\n  repro: npx gradspec run --impl fake --id 'softmax/fixed'");
    expect(out).toContain('SKIP    softmax/too-slow: hangs <here> [e.txt:1]');
    expect(out).toContain("NOT RUN mlp/deep: op 'mlp' is not supported");
    expect(out).toContain('warning: e.txt:1: `xfail gone/*` matches no case; remove or fix the entry');
    expect(out).toMatch(/\nop +pass +fail +error +xpass +skip\/xfail +not run\n/);
    expect(out).toMatch(/\nsoftmax +0 +0 +0 +1 +2 +0\n/);
    expect(out).toMatch(/\ntotal +1 +1 +1 +1 +2 +1\n/);
    expect(out).toContain('7 cases: 1 pass, 1 fail, 1 error, 1 skip, 1 xfail, 1 xpass, 1 not run');
    expect(out).toContain('report: reports/x.json');
    expect(out.trimEnd().split('\n').pop()).toBe('FAILED: 1 fail, 1 error, 1 xpass against fake & <friends>');
    expect(out).not.toContain('PASS    relu/readable');
  });

  it('on a terminal, prints the same op lines above the progress bar, and clears the bar at the end', () => {
    // One log of both streams, in the order a terminal would show them.
    const log: { stream: 'out' | 'bar'; text: string }[] = [];
    const barStream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    barStream.write = (chunk: string | Uint8Array) => log.push({ stream: 'bar', text: String(chunk) }) > 0;
    const run = sampleRun();
    const reporter = createConsoleReporter({ out: { write: (text: string) => log.push({ stream: 'out', text }) }, progress: 'bar', barStream });
    reporter.onRunStart!({ implementation: run.implementation, cases: run.cases });
    run.cases.forEach((c, i) => reporter.onCaseEnd!(c, i, run.cases.length));
    reporter.finish(run);
    const out = log.filter((l) => l.stream === 'out').map((l) => l.text).join('');
    expect(out).toMatch(/\n {2}relu +3 cases: 1 pass, 1 fail, 1 error +\d/);
    expect(out).toMatch(/\n {2}mlp +1 case: +1 not run +0\.0 ms\n/);
    const opLines = log.flatMap((l, i) => (l.stream === 'out' && /^ {2}\w+ +\d+ cases?:/.test(l.text) ? [i] : []));
    expect(opLines).toHaveLength(3);
    const barText = (l: { text: string }) => l.text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    for (const i of opLines) {
      // Just before each op line the bar was cleared (its last write draws nothing), and it is drawn again after it.
      const before = log.slice(0, i).filter((l) => l.stream === 'bar').pop()!;
      expect(barText(before).trim()).toBe('');
      expect(log.slice(i + 1).some((l) => l.stream === 'bar' && barText(l).includes('cases |'))).toBe(true);
    }
    expect(barText(log.filter((l) => l.stream === 'bar').pop()!).trim()).toBe('');
  });

  it('lists passing cases too when verbose', () => {
    expect(render({ verbose: true })).toMatch(/\n {2}PASS {4}relu\/readable {2}1\.5 ms\n/);
  });
});
