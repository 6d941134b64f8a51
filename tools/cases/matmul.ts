// Cases for spec/ops/matmul.md. Each expect() writes fixtures/matmul/<id>.json.
import { opCases } from '../define-op';
import type { Feature } from '../../spec/types/fixture';
import { randn, tensor } from '../tensor';

const T = [1, 0]; // Transpose perm for a 2-D matrix

const matmul = opCases('matmul', {
  forward: (g, v) => ({ y: g.op('MatMul', [v.a!, v.b!]) }),
  // b1: da = dy·bᵀ; b2: db = aᵀ·dy.
  backward: (g, v, dy) => ({
    a: g.op('MatMul', [dy.y!, g.op('Transpose', [v.b!], { perm: T })]),
    b: g.op('MatMul', [g.op('Transpose', [v.a!], { perm: T }), dy.y!]),
  }),
});

matmul.expect({
  id: 'readable-2x3-by-3x2',
  rule: 'f1',
  description: 'small integers and halves, (2×3)·(3×2), small enough to check by hand',
  features: ['readable', 'non-square'],
  data: () => ({
    inputs: { a: tensor([2, 3], [1, 2, 3, 4, 5, 6]), b: tensor([3, 2], [1, -1, 0.5, 0, -2, 1]) },
    grad_output: { y: tensor([2, 2], [1, -1, 2, 0.5]) },
  }),
});

matmul.expect({
  id: 'one-by-one',
  rule: 'f2',
  description: '(1×1)·(1×1) stays a 1×1 matrix, not a scalar',
  features: ['readable', 'batch-1', 'odd-shape'],
  data: () => ({
    inputs: { a: tensor([1, 1], [3]), b: tensor([1, 1], [-2]) },
    grad_output: { y: tensor([1, 1], [0.5]) },
  }),
});

// [id, m, k, n, rule, features, std of b]: std sqrt(2/k) keeps y near unit scale (Kaiming-like),
// which also keeps the gradcheck's rounding error well under its bound for k = 784.
const RANDOM: [string, number, number, number, 'f2' | 'b1' | 'b2', Feature[], number][] = [
  ['row-vector-1x5-by-5x3', 1, 5, 3, 'f2', ['batch-1', 'non-square'], 1],
  ['odd-3x5-by-5x7', 3, 5, 7, 'b1', ['odd-shape', 'non-square'], 1],
  ['non-square-4x2-by-2x6', 4, 2, 6, 'b2', ['non-square'], 1],
  ['outer-product-4x1-by-1x3', 4, 1, 3, 'b2', ['odd-shape', 'non-square'], 1],
  ['large-64x784-by-784x50', 64, 784, 50, 'b1', ['large', 'non-square'], Math.sqrt(2 / 784)],
];
for (const [id, m, k, n, rule, features, std] of RANDOM) {
  matmul.expect({
    id,
    rule,
    description: `random (${m}×${k})·(${k}×${n}), a ~ N(0,1), b ~ N(0,${std === 1 ? '1' : '2/k'})`,
    features,
    data: (rng) => ({ inputs: { a: randn(rng, [m, k]), b: randn(rng, [k, n], { std }) } }),
  });
}

// float32: no tolerance override. Measured on these fixtures, float32 matmuls that accumulate in
// float64, sequentially, in reverse or in 8 interleaved partial sums all stay ≤ 0.42 of the default.
for (const [id, m, k, n, rule, features, std] of [
  ['float32-3x5-by-5x7', 3, 5, 7, 'b2', ['odd-shape', 'non-square'], 1],
  ['float32-large-64x784-by-784x50', 64, 784, 50, 'b1', ['large', 'non-square'], Math.sqrt(2 / 784)],
] as const) {
  matmul.expect({
    id,
    rule,
    description: `float32 variant: random (${m}×${k})·(${k}×${n})`,
    features: [...features],
    dtype: 'float32',
    data: (rng) => ({ inputs: { a: randn(rng, [m, k]), b: randn(rng, [k, n], { std }) } }),
  });
}

export default matmul;
