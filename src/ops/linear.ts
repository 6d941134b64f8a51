// linear (spec/ops/linear.md): y = x·W + b with x (batch×in), W (in×out), b (out); y = x·W without a bias (f2).
// Backward: dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_batch dy — the first two are matmul's own backward;
// linearParameterGradients leaves out dx, which a first layer (its input is data) never needs.
import { expectFinite, expectNonEmptyBatch, expectRank, expectSameDType, expectShape } from '../checks';
import { matmul, matmulGradA, matmulGradB } from './matmul';
import { Tensor, formatShape } from '../tensor';

/** Throws unless W is (in×out) and b, when there is one, is (out), of one dtype. */
export function checkLinearParams(W: Tensor, b: Tensor | null): void {
  expectRank('linear', W, 2, 'a 2-D weight (in×out)');
  if (b === null) return;
  expectRank('linear', b, 1, 'a 1-D bias (out)');
  if (b.shape[0] !== W.shape[1]) {
    throw new Error(`linear: bias ${formatShape(b.shape)} does not match weight ${formatShape(W.shape)}: expected (${W.shape[1]})`);
  }
  expectSameDType('linear', b, 'bias', W, 'weight');
}

/** Throws unless x is a non-empty, finite (batch×in) batch of W's dtype. */
function checkInput(x: Tensor, W: Tensor): void {
  expectRank('linear', x, 2, 'a 2-D input (batch×features)');
  if (x.shape[1] !== W.shape[0]) {
    throw new Error(`linear: input ${formatShape(x.shape)} has ${x.shape[1]} features, but weight ${formatShape(W.shape)} expects ${W.shape[0]}`);
  }
  expectNonEmptyBatch('linear', x, 'input');
  expectSameDType('linear', x, 'input', W, 'weight');
  expectFinite('linear', x, 'input'); // the first layer is where raw data enters: check it once, here
}

/** y = x·W + b, or x·W when b is null (a layer without bias): a new (batch×out) tensor, or `into` overwritten. */
export function linearForward(x: Tensor, W: Tensor, b: Tensor | null, into?: Tensor): Tensor {
  checkLinearParams(W, b);
  checkInput(x, W);
  const y = matmul(x, W, into);
  if (b === null) return y;
  const out = b.size;
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let row = 0; row < y.size; row += out) {
    for (let j = 0; j < out; j++) y.data[row + j] = y.data[row + j]! + b.data[j]!;
  }
  return y;
}

/** The parameter gradients of y = x·W + b given dL/dy: gradW = xᵀ·dy, gradB = Σ_batch dy (no dx). */
export function linearParameterGradients(x: Tensor, W: Tensor, gradOutput: Tensor): { gradW: Tensor; gradB: Tensor } {
  expectShape('linear', gradOutput, 'gradOutput', [x.shape[0]!, W.shape[1]!], 'output');
  const gradW = matmulGradB(x, W, gradOutput);
  const out = W.shape[1]!;
  const gradB = Tensor.zeros([out], W.dtype);
  const sums = new Float64Array(out); // sum in float64 even for float32 tensors
  for (let row = 0; row < gradOutput.size; row += out) {
    // Stryker disable next-line EqualityOperator: `j <= out` adds into sums[out], past the end of the Float64Array (dropped)
    for (let j = 0; j < out; j++) sums[j]! += gradOutput.data[row + j]!;
  }
  gradB.data.set(sums);
  return { gradW, gradB };
}

/** Gradients of y = x·W + b given dL/dy: gradX = dy·Wᵀ (new, or `gradXInto` overwritten), gradW = xᵀ·dy, gradB = Σ_batch dy. */
export function linearBackward(x: Tensor, W: Tensor, gradOutput: Tensor, gradXInto?: Tensor): { gradX: Tensor; gradW: Tensor; gradB: Tensor } {
  const { gradW, gradB } = linearParameterGradients(x, W, gradOutput);
  return { gradX: matmulGradA(x, W, gradOutput, gradXInto), gradW, gradB };
}
