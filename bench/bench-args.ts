// The flags of `npm run bench`, its one entry point: which sections run, which peers are left out,
// the matmul sizes and rounds. Every bad flag is a UsageError (or parseArgs' own error) naming it.
import { parseArgs } from 'node:util';
import { UsageError, negativeValuesInline, parseChoice, parseNumber, parseSizes } from '../cli/args';

export const SECTIONS = ['matmul', 'mlp', 'cnn', 'runner'] as const;
export type Section = (typeof SECTIONS)[number];

export const BENCH_HELP = `Usage: npm run bench -- [options]     (or npx tsx bench/bench.ts [options])

Measures src against its peers in one run and checks the speed targets (MET / NOT MET). Sections:
  matmul   1-2. matmul GFLOPS, one and two threads, vs tfjs-wasm, ONNX Runtime, NumPy + OpenBLAS
  mlp      3. one MNIST epoch of 784-50-10 vs NumPy and PyTorch
  cnn      4. one MNIST epoch of a LeNet-5 with batch norm vs PyTorch (one thread each; minutes)
  runner   5. the conformance runner's overhead per case
A missing peer (NumPy, PyTorch, tfjs-wasm) is skipped with its reason; a target it was needed for
is NOT JUDGED, which the last line does not count as met.

Options:
  --only LIST           run only these sections, comma-separated (e.g. --only cnn)
  --skip LIST           run all sections but these (e.g. --skip cnn,runner)
  --skip-torch          no PyTorch runs (sections mlp and cnn)
  --skip-numpy          no NumPy runs (sections matmul and mlp)
  --sizes LIST          matmul sizes n (default 64,128,256,512,1024)
  --rounds N            rounds of the matmul and MLP measurements (default 3)
  --json FILE           also write every figure as JSON
  -h, --help            this text
`;

function parseSections(flag: string, value: string | undefined): Section[] | undefined {
  return value === undefined ? undefined : value.split(',').map((part) => parseChoice(flag, part.trim(), SECTIONS));
}

export interface BenchOptions {
  run: Set<Section>;
  sizes: number[];
  rounds: number;
  /** Why a peer is left out when the flags say so; null: look for it. */
  torchReason: string | null;
  numpyReason: string | null;
  json?: string;
}

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: negativeValuesInline(argv, ['--only', '--skip', '--sizes', '--rounds', '--json']),
    strict: true,
    options: {
      only: { type: 'string' },
      skip: { type: 'string' },
      'skip-torch': { type: 'boolean', default: false },
      'skip-numpy': { type: 'boolean', default: false },
      sizes: { type: 'string', default: '64,128,256,512,1024' },
      rounds: { type: 'string', default: '3' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const only = parseSections('only', values.only);
  const skip = parseSections('skip', values.skip) ?? [];
  if (only && skip.length) throw new UsageError('--only and --skip cannot be combined; pick the sections with one of them');
  return {
    run: new Set((only ?? SECTIONS).filter((section) => !skip.includes(section))),
    sizes: parseSizes('sizes', values.sizes, 4096),
    rounds: parseNumber('rounds', values.rounds, 'positive-integer', 100),
    torchReason: values['skip-torch'] ? 'not asked for (--skip-torch)' : null,
    numpyReason: values['skip-numpy'] ? 'not asked for (--skip-numpy)' : null,
    json: values.json,
  };
}
