// Every op's case file, in the order fixtures are generated.
import type { OpCases } from '../define-op';
import matmul from './matmul';
import linear from './linear';
import relu from './relu';
import softmax from './softmax';
import mse from './mse';
import mse_softmax from './mse_softmax';
import cross_entropy from './cross_entropy';
import sgd from './sgd';
import mlp from './mlp';

export const ALL_CASES: OpCases[] = [matmul, linear, relu, softmax, mse, mse_softmax, cross_entropy, sgd, mlp];
