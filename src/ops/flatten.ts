// flatten (spec/ops/flatten.md): the axes from start_axis on become one; the data is unchanged, so
// the backward is dy reshaped back to x's shape.
import { Tensor, formatShape, sizeOf } from '../tensor';

/** x's shape with axes start_axis … last merged (negative start_axis counts from the end). */
export function flattenShape(shape: readonly number[], startAxis = 1): number[] {
  const start = startAxis < 0 ? startAxis + shape.length : startAxis;
  if (!Number.isInteger(startAxis) || start < 0 || start >= shape.length) {
    throw new Error(`flatten: start_axis ${startAxis} is not an axis of input ${formatShape(shape)}`);
  }
  return [...shape.slice(0, start), sizeOf(shape.slice(start))];
}

/** y: a copy of x's data with the flattened shape (f1). */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  // Stryker disable next-line MethodExpression: a copy made an alias: flatten writes nothing, and the adapter copies every reply tensor out, so no reply can tell
  return new Tensor(x.data.slice(), flattenShape(x.shape, startAxis));
}

/** dx = dy reshaped to x's shape (b1). */
export function flattenBackward(xShape: readonly number[], gradOutput: Tensor): Tensor {
  if (gradOutput.size !== sizeOf(xShape)) {
    throw new Error(`flatten: gradOutput ${formatShape(gradOutput.shape)} does not have the ${sizeOf(xShape)} elements of input ${formatShape(xShape)}`);
  }
  // Stryker disable next-line MethodExpression: a copy made an alias: flatten writes nothing, and the adapter copies every reply tensor out, so no reply can tell
  return new Tensor(gradOutput.data.slice(), xShape);
}
