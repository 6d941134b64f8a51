// The adopter's expectations file: which cases to skip and which are expected to fail, each with a
// reason. Plain text, one entry a line, as in array-api-tests' skip/xfail files:
//
//   skip   mlp/large-*             # takes minutes on this backend
//   xfail  softmax/float64-*       # computes in float32
//
// Blank lines and lines starting with `#` are ignored; the reason (after `#`) is required.
import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { displayPath } from './loader';

export type ExpectationKind = 'skip' | 'xfail';

export interface Expectation {
  kind: ExpectationKind;
  /** picomatch glob on the case id, e.g. 'softmax/*' or '**\/float64-*'. */
  glob: string;
  reason: string;
  /** Where it was written, for messages: 'examples/expectations/tfjs.txt:12'. */
  source: string;
  line: number;
}

/** A malformed line (the message starts with file:line) or an unreadable file (line 0, file: ...). */
export class ExpectationsError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    what: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${what}`);
    this.name = 'ExpectationsError';
  }
}

const SYNTAX = 'write `skip <id-glob>  # reason` or `xfail <id-glob>  # reason`';

/** Parses the text of an expectations file; `file` is only used in messages. Throws ExpectationsError. */
export function parseExpectations(text: string, file: string): Expectation[] {
  const entries: Expectation[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const hash = raw.indexOf('#');
    const body = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    const reason = hash < 0 ? '' : raw.slice(hash + 1).trim();
    const words = body.split(/\s+/);
    const [kind, glob] = words;
    if (kind !== 'skip' && kind !== 'xfail') {
      throw new ExpectationsError(file, line, `'${kind}' is not an entry kind; ${SYNTAX}`);
    }
    if (!glob) throw new ExpectationsError(file, line, `'${kind}' needs a case id or glob; ${SYNTAX}`);
    if (words.length > 2) {
      throw new ExpectationsError(file, line, `expected one id glob after '${kind}', got ${words.length - 1} words (put the reason after '#')`);
    }
    if (!reason) throw new ExpectationsError(file, line, `'${kind} ${glob}' has no reason; add one after '#', e.g. \`${kind} ${glob}  # why\``);
    entries.push({ kind, glob, reason, source: `${file}:${line}`, line });
  }
  return entries;
}

/** Reads and parses an expectations file; throws ExpectationsError (also when it cannot be read). */
export function loadExpectations(path: string): Expectation[] {
  const shown = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ExpectationsError(shown, 0, `cannot read the expectations file (${why})`);
  }
  return parseExpectations(text, shown);
}

/** Entries with compiled globs. A case matched by a skip is skipped; otherwise the first matching xfail applies. */
export class ExpectationSet {
  private readonly compiled: { entry: Expectation; matches: (id: string) => boolean }[];

  constructor(readonly entries: readonly Expectation[]) {
    this.compiled = entries.map((entry) => ({ entry, matches: picomatch(entry.glob) }));
  }

  static empty(): ExpectationSet {
    return new ExpectationSet([]);
  }

  /** The entry that decides how the case is treated, if any (a skip wins: it may be there because the case hangs). */
  lookup(id: string): Expectation | undefined {
    let xfail: Expectation | undefined;
    for (const { entry, matches } of this.compiled) {
      if (!matches(id)) continue;
      if (entry.kind === 'skip') return entry;
      xfail ??= entry;
    }
    return xfail;
  }

  /** Entries that match none of `ids`. */
  unmatched(ids: Iterable<string>): Expectation[] {
    const left = new Set(this.compiled);
    for (const id of ids) {
      for (const c of left) if (c.matches(id)) left.delete(c);
      if (left.size === 0) break;
    }
    return this.compiled.filter((c) => left.has(c)).map((c) => c.entry);
  }
}
