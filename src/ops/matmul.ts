// matmul (spec/ops/matmul.md): Y = A·B for A (m×k) and B (k×n); backward dA = dY·Bᵀ, dB = Aᵀ·dY.
// The loops live in kernels/matmul.ts (WebAssembly SIMD, or the plain-TypeScript fallback); this file
// is the contract: shapes, dtypes, formulas.
import { describeKind } from '../describe';
import { expectRank, expectSameDType, expectShape } from '../checks';
import { gemm } from '../kernels/matmul';
import { takeArray } from '../kernels/recycle';
import { Tensor, formatShape } from '../tensor';

/**
 * The (rows×cols) tensor gemm overwrites entirely: `into` when the caller passes one (a layer that
 * reuses its arrays during train()'s steps), checked against the product; else a new one, whose array
 * may be one train() recycled.
 */
function output(rows: number, cols: number, like: Tensor, into: Tensor | undefined, name: string): Tensor {
  if (into === undefined) return new Tensor(takeArray(like.dtype, rows * cols), [rows, cols]);
  expectTensor(into, name);
  expectShape('matmul', into, name, [rows, cols], 'result');
  expectSameDType('matmul', into, name, like, 'A');
  return into;
}


/** Throws unless `t` is a Tensor: `matmul: B must be a Tensor, got an array (wrap it: Tensor.fromArray(values, shape))`. */
function expectTensor(t: unknown, name: string): asserts t is Tensor {
  if (t instanceof Tensor) return;
  const hint = Array.isArray(t) || ArrayBuffer.isView(t) ? ' (wrap it: Tensor.fromArray(values, shape))' : '';
  throw new Error(`matmul: ${name} must be a Tensor, got ${describeKind(t)}${hint}`);
}

/** Throws unless `a` and `b` are 2-D tensors, of one dtype, with a's columns equal to b's rows. */
function checkOperands(a: Tensor, b: Tensor): void {
  expectTensor(a, 'A');
  expectTensor(b, 'B');
  expectRank('matmul', a, 2, '2-D tensors');
  expectRank('matmul', b, 2, '2-D tensors');
  expectSameDType('matmul', a, 'A', b, 'B');
  if (a.shape[1] !== b.shape[0]) {
    throw new Error(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner dimensions ${a.shape[1]} ≠ ${b.shape[0]}`);
  }
}

/** The matrix product A·B of an (m×k) and a (k×n) tensor: a new (m×n) tensor of their dtype, or `into` overwritten. */
export function matmul(a: Tensor, b: Tensor, into?: Tensor): Tensor {
  checkOperands(a, b);
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  // Stryker disable next-line StringLiteral: a name used only in error messages; no valid case throws
  const y = output(m, n, a, into, 'output');
  gemm(m, n, k, a.data, false, b.data, false, y.data);
  return y;
}

/** Throws unless gradOutput is dL/dY for A·B: (m×n) and of A's dtype. */
function checkGradOutput(a: Tensor, b: Tensor, gradOutput: Tensor): void {
  checkOperands(a, b);
  expectTensor(gradOutput, 'gradOutput');
  expectShape('matmul', gradOutput, 'gradOutput', [a.shape[0]!, b.shape[1]!], 'output');
  expectSameDType('matmul', gradOutput, 'gradOutput', a, 'A');
}

/** dL/dA = dY·Bᵀ (m×k) alone: a new tensor, or `into` overwritten. */
export function matmulGradA(a: Tensor, b: Tensor, gradOutput: Tensor, into?: Tensor): Tensor {
  checkGradOutput(a, b, gradOutput);
  const [m, k] = a.shape as [number, number];
  // Stryker disable next-line StringLiteral: a name used only in error messages; no valid case throws
  const gradA = output(m, k, a, into, 'gradA');
  gemm(m, k, b.shape[1]!, gradOutput.data, false, b.data, true, gradA.data); // dY (m×n) · Bᵀ (n×k)
  return gradA;
}

/** dL/dB = Aᵀ·dY (k×n) alone: what a layer needs when A is data, whose own gradient nobody uses. */
export function matmulGradB(a: Tensor, b: Tensor, gradOutput: Tensor): Tensor {
  checkGradOutput(a, b, gradOutput);
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  // Stryker disable next-line StringLiteral: a name used only in error messages; no valid case throws
  const gradB = output(k, n, a, undefined, 'gradB');
  gemm(k, n, m, a.data, true, gradOutput.data, false, gradB.data); // Aᵀ (k×m) · dY (m×n)
  return gradB;
}

/** Gradients of A·B given dL/dY (m×n): gradA = dY·Bᵀ (m×k) and gradB = Aᵀ·dY (k×n); no transposed copies. */
export function matmulBackward(a: Tensor, b: Tensor, gradOutput: Tensor): { gradA: Tensor; gradB: Tensor } {
  return { gradA: matmulGradA(a, b, gradOutput), gradB: matmulGradB(a, b, gradOutput) };
}
