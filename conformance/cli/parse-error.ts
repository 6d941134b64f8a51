// node:util parseArgs' errors as one sentence that names the flag, for every command's parser
// (gradspec run, dashboard, init): parseArgs' own messages ("Unknown option '--x'. To specify a
// positional argument starting with a '-', place it at the end of the command after '--', ...") are
// long and speak to the wrong reader.
import { didYouMean } from './did-you-mean';

export interface ParseErrorHints {
  /** The command's options, as `--name`, for the nearest ones to an unknown option. */
  options: readonly string[];
  /** An option written with an example value, for "needs a value". */
  example?: (option: string) => string;
  /** What to say after "unexpected argument 'x'" for a command that takes none. */
  positional?: string;
}

/** The sentence for an error thrown by parseArgs (any other error: its first line). */
export function describeParseError(e: unknown, hints: ParseErrorHints): string {
  const { message, code } = e as Error & { code?: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = didYouMean(quoted, hints.options);
      return `unknown option ${quoted}${guess ? `; ${guess}` : ''}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'${hints.positional ? `: ${hints.positional}` : ''}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /--[a-z-]+/.exec(message)?.[0] ?? 'an option';
      if (!/argument missing/.test(message)) return `${option} takes no value: write ${option} alone`;
      return `${option} needs a value${hints.example ? `, e.g. ${hints.example(option)}` : ''}`;
    }
    default:
      return String(message).split('\n')[0]!;
  }
}
