// The seed's initialisation experiment: push a batch of N(0, 1) inputs through 152 stacked 512×512
// matrix products and look at the activations' mean and std after the last one.
//   randn weights, no ReLU        → std grows √512 ≈ 22.6× per layer: overflows to inf, then NaN
//   randn/√512, no ReLU           → std stays ≈ 1
//   randn/√512 with ReLU          → ReLU halves the second moment each layer: std ≈ 2^-76 ≈ 1e-23
//   Kaiming √(2/512) with ReLU    → the factor 2 undoes the halving: std stays of order 1
// Every configuration sees the same input and the same random matrices, only scaled differently.
// Uses src's matmul and relu. `--help` for the options.
import { matmul } from '../../src/ops/matmul';
import { relu } from '../../src/ops/relu';
import { Rng } from '../../src/random';
import { type DType, Tensor } from '../../src/tensor';
import { parseChoice, parseNumber, parseScriptArgs, runScript } from '../args';

const SCRIPT = 'init';
const HELP = `Usage: npx tsx cli/experiments/init.ts [options]

Options:
  --layers N     stacked layers (default 152)
  --width N      layer width (default 512)
  --batch N      rows of the random input (default 64)
  --dtype T      float32 (default, like PyTorch's default) | float64
  --seed N       default 0
`;

interface Config {
  name: string;
  /** The standard deviation of the weights, as a formula and a number. */
  scaleText: string;
  scale: number;
  relu: boolean;
  expect: string;
  /** Whether the final activations show the seed's qualitative result. */
  reproduced(s: Stats): boolean;
}

interface Stats {
  mean: number;
  std: number;
  maxAbs: number;
}

/** Mean, population std and max |x| in float64, naively: a non-finite element makes them non-finite. */
function stats(t: Tensor): Stats {
  let sum = 0;
  let squares = 0;
  let maxAbs = 0;
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    sum += v;
    squares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v)); // Math.max propagates NaN
  }
  const mean = sum / t.size;
  return { mean, std: Math.sqrt(squares / t.size - mean * mean), maxAbs };
}

const num = (x: number): string => (Number.isFinite(x) ? (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4)) : String(x));

function main(): void {
  const values = parseScriptArgs(SCRIPT, HELP, {
    layers: { type: 'string', default: '152' },
    width: { type: 'string', default: '512' },
    batch: { type: 'string', default: '64' },
    dtype: { type: 'string', default: 'float32' },
    seed: { type: 'string', default: '0' },
  });
  if (!values) return;
  const layers = parseNumber('layers', values.layers, 'positive-integer');
  const width = parseNumber('width', values.width, 'positive-integer');
  const batch = parseNumber('batch', values.batch, 'positive-integer');
  const dtype: DType = parseChoice('dtype', values.dtype, ['float32', 'float64'] as const);
  const seed = parseNumber('seed', values.seed, 'integer');

  const rng = new Rng(seed);
  const input = Tensor.zeros([batch, width], dtype);
  for (let i = 0; i < input.size; i++) input.data[i] = rng.normal();
  const inputStats = stats(input);
  const configs: Config[] = [
    { name: 'randn, no ReLU', scaleText: '1', scale: 1, relu: false, expect: 'explodes (inf/NaN)', reproduced: (s) => !Number.isFinite(s.std) },
    { name: 'randn/√n, no ReLU', scaleText: `1/√${width}`, scale: 1 / Math.sqrt(width), relu: false, expect: 'std ≈ 1', reproduced: (s) => s.std > 0.5 && s.std < 2 },
    { name: 'randn/√n, ReLU', scaleText: `1/√${width}`, scale: 1 / Math.sqrt(width), relu: true, expect: `collapses (≈ 2^-${layers / 2} = ${(2 ** (-layers / 2)).toExponential(0)})`, reproduced: (s) => s.std < 100 * 2 ** (-layers / 2) * inputStats.std },
    { name: 'Kaiming √(2/n), ReLU', scaleText: `√(2/${width})`, scale: Math.sqrt(2 / width), relu: true, expect: 'std of order 1', reproduced: (s) => s.std > 0.1 && s.std < 10 },
  ];
  console.log(`${layers} layers of ${width}×${width}, input ${batch}×${width} of N(0, 1) (mean ${num(inputStats.mean)}, std ${num(inputStats.std)}), ${dtype}, seed ${seed}`);

  const start = performance.now();
  const x = configs.map(() => input);
  const checkpoints = [1, 10, 50, 100, layers].filter((l, i, all) => l <= layers && all.indexOf(l) === i);
  const stdAt = configs.map(() => new Map<number, number>());
  const firstNonFinite: (number | null)[] = configs.map(() => null);
  const base = Tensor.zeros([width, width], 'float64');
  const weights = Tensor.zeros([width, width], dtype);
  for (let layer = 1; layer <= layers; layer++) {
    for (let i = 0; i < base.size; i++) base.data[i] = rng.normal(); // one randn matrix per layer, shared
    configs.forEach((c, k) => {
      for (let i = 0; i < base.size; i++) weights.data[i] = base.data[i]! * c.scale;
      let y = matmul(x[k]!, weights);
      if (c.relu) y = relu(y);
      x[k] = y;
      const s = stats(y);
      if (firstNonFinite[k] === null && !Number.isFinite(s.maxAbs)) firstNonFinite[k] = layer;
      if (checkpoints.includes(layer)) stdAt[k]!.set(layer, s.std);
    });
  }

  const header = ['init', 'weight std', 'ReLU', 'mean', 'std', 'max |x|', 'first inf/NaN', ...checkpoints.map((l) => `std@${l}`), 'seed tutorial', 'reproduced'];
  const rows = configs.map((c, k) => {
    const s = stats(x[k]!);
    return [
      c.name,
      c.scaleText,
      c.relu ? 'yes' : 'no',
      num(s.mean),
      num(s.std),
      num(s.maxAbs),
      firstNonFinite[k] === null ? '—' : `layer ${firstNonFinite[k]}`,
      ...checkpoints.map((l) => num(stdAt[k]!.get(l)!)),
      c.expect,
      c.reproduced(s) ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i < 3 || i >= cells.length - 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\nActivations after layer ${layers} (mean and std over all ${batch}×${width} values):`);
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const failed = configs.filter((c, k) => !c.reproduced(stats(x[k]!)));
  console.log(`\n${failed.length === 0 ? 'All four qualitative results reproduced' : `NOT reproduced: ${failed.map((c) => c.name).join(', ')}`}; ${((performance.now() - start) / 1000).toFixed(1)} s`);
  if (failed.length > 0) process.exitCode = 1;
}

runScript(SCRIPT, main);
