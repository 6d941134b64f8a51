// The protocol's schema and the tensor codec: what travels on the wire between the runner and an
// --exec child (spec/protocol.md), without a child.
import type { Tensor } from '../implementation';
import { schemaValidator } from '../schemas';
import { decodeTensor, encodeTensor, TensorFormatError } from '../tensor-codec';

function tensor(shape: number[], values: number[]): Tensor {
  return { dtype: 'float64', shape, data: Float64Array.from(values) };
}

describe('spec/protocol.schema.json', () => {
  test('its validator, precompiled under ajv strict mode, accepts every example message of spec/protocol.md', () => {
    const validate = schemaValidator('protocol');
    const y = { dtype: 'float64', shape: [1], data: ['NaN'] };
    for (const message of [
      { type: 'hello', protocol: '1.0' },
      { type: 'hello', protocol: '1.0', implementation: 'x', ops: ['relu'], dtypes: ['float64'] },
      { type: 'run', id: 'relu/a', op: 'relu', attributes: {}, inputs: { x: y }, params: {}, grad_output: { y } },
      { type: 'hello', protocol: '1.1', implementation: 'x', ops: ['relu'], dtypes: ['float32'] },
      { type: 'run', id: 'relu/a', op: 'relu', dtype: 'float64', attributes: {}, inputs: { x: y }, params: {} },
      { type: 'result', id: 'relu/a', forward: { y }, grad_inputs: { x: y } },
      { type: 'error', id: 'relu/a', message: 'no' },
      { type: 'bye' },
      // 1.2: optimizers with state, and the state in the result.
      { type: 'run', id: 'linear/a', op: 'linear', dtype: 'float64', attributes: {}, inputs: { x: y }, params: { W: y }, grad_output: { y },
        optimizer: { type: 'sgd', lr: 0.1, steps: 3, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 0.01 } },
      { type: 'run', id: 'linear/a', op: 'linear', dtype: 'float64', attributes: {}, inputs: { x: y }, params: { W: y }, grad_output: { y },
        optimizer: { type: 'adamw', lr: 0.1, steps: 3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01 } },
      { type: 'result', id: 'linear/a', forward: { y }, params: { W: y }, state: { exp_avg: { W: y }, exp_avg_sq: { W: y } } },
    ]) {
      expect([message, validate(message)]).toEqual([message, true]);
    }
    expect(validate({ type: 'result', id: 'relu/a' })).toBe(false);
    expect(validate({ type: 'run', id: 'relu/a', op: 'Relu', attributes: {}, inputs: {}, params: {} })).toBe(false);
    expect(validate({ type: 'run', id: 'relu/a', op: 'relu', dtype: 'int64', attributes: {}, inputs: {}, params: {} })).toBe(false);
    const adam = (optimizer: Record<string, unknown>) => ({ type: 'run', id: 'l/a', op: 'linear', attributes: {}, inputs: {}, params: {}, optimizer });
    expect(validate(adam({ type: 'adam', lr: 0.1, steps: 1, betas: [0.9, 0.999], eps: 1e-8 }))).toBe(false); // every Adam field is required
    expect(validate(adam({ type: 'sgd', lr: 0.1, steps: 1, betas: [0.9, 0.999] }))).toBe(false); // no Adam field on SGD
    expect(validate({ type: 'result', id: 'l/a', forward: {}, state: { velocity: {} } })).toBe(false); // PyTorch's state names only
  });
});

describe('tensor codec', () => {
  test('non-finite values travel as strings and back', () => {
    const t = tensor([3], [NaN, Infinity, -Infinity]);
    const json = encodeTensor(t);
    expect(json.data).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(Array.from(decodeTensor(json).data)).toEqual([NaN, Infinity, -Infinity]);
  });

  test('float32 decodes into a Float32Array; a scalar has shape [] and one value', () => {
    expect(decodeTensor({ dtype: 'float32', shape: [], data: [0.1] }).data).toBeInstanceOf(Float32Array);
    expect(() => decodeTensor({ dtype: 'float64', shape: [], data: [] }, 'loss')).toThrow('loss: data has 0 values but shape [] needs 1');
  });

  test('bad values are named with their index', () => {
    expect(() => decodeTensor({ dtype: 'int64', shape: [2], data: [1, 1.5] }, 't')).toThrow(TensorFormatError);
    expect(() => decodeTensor({ dtype: 'float64', shape: [1], data: ['nan' as 'NaN'] }, 't')).toThrow('t: data[0] = "nan"');
  });

  test('int64 decodes exact integers, and refuses what float64 cannot hold exactly or is not an integer', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(Array.from(decodeTensor({ dtype: 'int64', shape: [4], data: [0, -100, max, -max] }).data)).toEqual([0, -100, max, -max]);
    // 2^53 + 1 is read by JSON.parse as 2^53: refused, not silently off by one.
    const parsed = JSON.parse('{"dtype":"int64","shape":[1],"data":[9007199254740993]}') as Parameters<typeof decodeTensor>[0];
    expect(() => decodeTensor(parsed, 'inputs.target')).toThrow('inputs.target: data[0] = 9007199254740992 is beyond ±(2^53 − 1)');
    expect(() => decodeTensor({ dtype: 'int64', shape: [1], data: ['NaN'] }, 't')).toThrow('t: data[0] = "NaN" is not an integer (dtype int64)');
  });
});
