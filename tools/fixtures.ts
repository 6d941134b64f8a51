// `npm run fixtures:generate` writes fixtures/; `npm run fixtures:check` regenerates in memory and
// exits 1 when the committed corpus is stale, incomplete, has orphans or was edited by hand.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ALL_CASES } from './cases';
import { isOpName, OP_NAMES } from '../spec/registry';
import { checkCorpus, generateCorpus, isClean, notACorpus, writeCorpus, type GeneratedFixture, type Progress } from './corpus';
import { reviewReadme } from './readme-ops';
import { reviewPage, writePage, type PageReport } from './spec-pages';

const ROOT = join(__dirname, '..');
const USAGE = `usage: tsx tools/fixtures.ts <generate|check> [--op <op>]... [--dir <fixtures folder>]`;

function progressReporter(): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'fixtures [{bar}] {value}/{total} {id}', stream: process.stderr }, Presets.shades_classic);
    return { start: (total) => bar.start(total, 0, { id: '' }), tick: (id) => bar.increment({ id }), stop: () => bar.stop() };
  }
  // Not a terminal (CI, a pipe): one line per op, not one per case.
  let done = 0;
  let total = 0;
  let currentOp = '';
  return {
    start: (t) => (total = t),
    tick: (id) => {
      done++;
      const op = id.split('/')[0]!;
      if (op !== currentOp) process.stderr.write(`fixtures: ${done}/${total} ${op}\n`);
      currentOp = op;
    },
    stop: () => process.stderr.write(`fixtures: ${done}/${total} done\n`),
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { op: { type: 'string', multiple: true }, dir: { type: 'string' } },
  });
  const command = positionals[0];
  if (command !== 'generate' && command !== 'check') {
    console.error(USAGE);
    return 2;
  }
  const dir = values.dir ?? join(ROOT, 'fixtures');
  const ops = values.op;
  const refused = notACorpus(dir);
  if (refused) {
    console.error(`fixtures: refusing --dir: ${refused}. Pass an empty or new folder, or an existing fixture corpus.`);
    return 2;
  }
  const unknown = ops?.filter((op) => !isOpName(op)) ?? [];
  if (unknown.length) {
    console.error(`fixtures: --op ${unknown.join(', ')} is not in spec/ops.json; pass one of ${OP_NAMES.join(', ')}`);
    return 2;
  }
  const started = Date.now();
  const corpus = await generateCorpus(ALL_CASES, ops, progressReporter());
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  // Spec pages list their fixtures and the README's op table counts them; only the real, whole corpus
  // updates them, not a scratch --dir or one --op.
  const pages = values.dir ? [] : [...reviewPages(corpus, ops), ...(ops ? [] : [reviewReadme(ROOT, corpus.map((g) => g.fixture))])];
  const pageProblems = pages.flatMap((p) => p.problems);
  for (const p of pages) if (p.uncoveredRules.length) console.log(`note: ${p.page}: no fixture cites rule ${p.uncoveredRules.join(', ')}`);
  for (const problem of pageProblems) console.error(`spec       ${problem}`);

  if (command === 'generate') {
    const { written, removed, kept } = writeCorpus(dir, corpus, ops);
    for (const p of pages) writePage(ROOT, p);
    console.log(`fixtures: ${corpus.length} cases in ${seconds} s; ${written} written, ${removed.length} orphans removed`);
    for (const p of removed) console.log(`  removed ${p}`);
    for (const p of kept) console.log(`  kept ${p}: no case declares it, but the generator did not write it either`);
    return pageProblems.length ? 1 : 0;
  }

  const report = checkCorpus(dir, corpus, ops);
  for (const s of report.stale) console.error(`stale      ${s.path}  (${s.where})`);
  for (const p of report.missing) console.error(`missing    ${p}`);
  for (const p of report.orphaned) console.error(`orphaned   ${p}  (no case declares it)`);
  for (const p of report.handEdited) console.error(`hand-edited ${p}  (content_sha256 does not match the file)`);
  for (const p of pages) if (p.changed) console.error(`stale      ${p.page}  (its generated list is out of date)`);
  if (!isClean(report) || pageProblems.length || pages.some((p) => p.changed)) {
    console.error(`fixtures:check: the committed fixtures differ from the generator — run \`npm run fixtures:generate\` and commit`);
    return 1;
  }
  console.log(`fixtures:check: ${report.unchanged} fixtures match the generator (${seconds} s)`);
  return 0;
}

function reviewPages(corpus: GeneratedFixture[], ops: string[] | undefined): PageReport[] {
  const byOp = new Map<string, GeneratedFixture['fixture'][]>();
  for (const c of ALL_CASES) if (!ops || ops.includes(c.definition.op)) byOp.set(c.definition.op, []);
  for (const g of corpus) byOp.get(g.fixture.op)?.push(g.fixture);
  return [...byOp].filter(([, fixtures]) => fixtures.length > 0).map(([op, fixtures]) => reviewPage(ROOT, op, fixtures));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
