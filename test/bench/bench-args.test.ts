// `npm run bench` takes every flag through one parser: sections by name, peers left out with a
// reason, and a usage error naming the flag for anything else (the bench must not run and print NaN).
import { parseBenchArgs, SECTIONS, type BenchOptions } from '../../bench/bench-args';

const parse = (argv: string[]) => parseBenchArgs(argv) as BenchOptions;

it('runs every section by default, and --only / --skip pick them', () => {
  expect([...parse([]).run]).toEqual([...SECTIONS]);
  expect([...parse(['--only', 'cnn']).run]).toEqual(['cnn']);
  expect([...parse(['--skip', 'cnn,runner']).run]).toEqual(['matmul', 'mlp']);
  expect(parseBenchArgs(['--help'])).toBe('help');
});

it('leaves PyTorch or NumPy out with a reason only when asked', () => {
  expect(parse([])).toMatchObject({ torchReason: null, numpyReason: null, rounds: 3, sizes: [64, 128, 256, 512, 1024] });
  expect(parse(['--skip-torch', '--skip-numpy'])).toMatchObject({ torchReason: 'not asked for (--skip-torch)', numpyReason: 'not asked for (--skip-numpy)' });
});

it.each([
  [['--only', 'cnnn'], "--only must be one of matmul, mlp, cnn, runner, got 'cnnn'"],
  [['--only', 'cnn', '--skip', 'mlp'], '--only and --skip cannot be combined'],
  [['--rounds', '-1'], "--rounds must be a positive integer number (digits only), got '-1'"],
  [['--sizes', '64,x'], "--sizes must be a positive integer number (digits only), got 'x'"],
  [['--skip-tourch'], "Unknown option '--skip-tourch'"],
])('flags %j: %s', (argv, message) => {
  expect(() => parseBenchArgs(argv)).toThrow(message);
});
