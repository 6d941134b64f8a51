#!/usr/bin/env node
// A gradspec starter in plain Node.js: one op (relu) over the subprocess protocol (spec/protocol.md),
// no dependencies, one file.
//
//   npx gradspec run --exec "node examples/starters/starter.mjs" --op relu
//
// Grow it one op at a time: add a function to OPS (the handshake then declares it) and run
// `--op <name>`; spec/ops/<name>.md has its tensor names and formulas. Everything below OPTIMIZERS is
// the protocol and stays as it is.
import { createInterface } from 'node:readline';

const PROTOCOL_VERSION = '1.1';
const NAME = 'node starter 0.1';
const DTYPES = ['float64', 'float32']; // float32 cases are computed in doubles: the tolerances allow it

// An op: (attributes, inputs, params) → { outputs, backward }. Tensors are { shape, data }, data a flat
// row-major array. backward(seeds) gets a seed per output and returns a gradient per input and param.
const OPS = {
  relu(attributes, { x }) {
    const y = { shape: x.shape, data: x.data.map((v) => (v > 0 ? v : 0)) };
    const backward = (seeds) => ({
      x: { shape: x.shape, data: x.data.map((v, i) => (v > 0 ? seeds.y.data[i] : 0)) }, // ReLU'(0) = 0
    });
    return { outputs: { y }, backward };
  },
};

// For ops with params: { sgd: (config, params) => (params, grads) => newParams }.
const OPTIMIZERS = {};

// --- The protocol: tensors, one request → one reply, the loop -------------------------------------

class Refusal extends Error {}

const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const decode = (t) => ({ shape: t.shape, data: t.data.map((v) => (typeof v === 'string' ? NON_FINITE[v] : v)) });
const encodeNumber = (v) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);
const encode = (t, dtype) => ({ dtype, shape: t.shape, data: Array.from(t.data, encodeNumber) });
const mapValues = (obj, f) => Object.fromEntries(Object.entries(obj ?? {}).map(([k, v]) => [k, f(v, k)]));

/** The case dtype: the request's `dtype` (protocol 1.1 sends it), else its first float tensor's. */
function caseDType(request) {
  if (DTYPES.includes(request.dtype)) return request.dtype;
  for (const group of [request.inputs, request.params, request.grad_output]) {
    for (const t of Object.values(group ?? {})) if (DTYPES.includes(t.dtype)) return t.dtype;
  }
  return 'float64';
}

function gradients(op, result, gradOutput, params) {
  if (!result.backward) throw new Refusal(`${op} has no backward, but the request has grad_output`);
  // An output without a seed has a zero seed (protocol m4).
  const seeds = mapValues(result.outputs, (t, k) => gradOutput[k] ?? { shape: t.shape, data: t.data.map(() => 0) });
  const grads = result.backward(seeds);
  const gradParams = mapValues(params, (_, k) => {
    if (!grads[k]) throw new Error(`${op}: backward returned no gradient for param ${k}`);
    return grads[k];
  });
  const gradInputs = Object.fromEntries(Object.entries(grads).filter(([k]) => !(k in params)));
  return { gradInputs, gradParams };
}

function answer(request) {
  const op = OPS[request.op];
  if (!op) throw new Refusal(`op ${request.op} is not implemented (this program implements ${Object.keys(OPS).join(', ')})`);
  const dtype = caseDType(request);
  const inputs = mapValues(request.inputs, decode);
  let params = mapValues(request.params, decode);
  let result = op(request.attributes ?? {}, inputs, params);
  const reply = { type: 'result', id: request.id, forward: mapValues(result.outputs, (t) => encode(t, dtype)) };
  if (!request.grad_output) return reply;
  const gradOutput = mapValues(request.grad_output, decode);
  let { gradInputs, gradParams } = gradients(request.op, result, gradOutput, params);
  reply.grad_inputs = mapValues(gradInputs, (t) => encode(t, dtype));
  reply.grad_params = mapValues(gradParams, (t) => encode(t, dtype));
  const optimizer = request.optimizer;
  if (!optimizer) return reply;
  const makeStep = OPTIMIZERS[optimizer.type];
  if (!makeStep) throw new Refusal(`optimizer ${optimizer.type} is not implemented`);
  // `steps` times: forward and backward on the same inputs and seeds, then update (step 0 is above).
  const step = makeStep(optimizer, params);
  const losses = [];
  for (let s = 0; s < optimizer.steps; s++) {
    if (s > 0) {
      result = op(request.attributes ?? {}, inputs, params);
      ({ gradParams } = gradients(request.op, result, gradOutput, params));
    }
    if (result.outputs.loss) losses.push(result.outputs.loss.data[0]);
    params = step(params, gradParams);
  }
  reply.params = mapValues(params, (t) => encode(t, dtype));
  if (losses.length > 0) reply.losses = encode({ shape: [losses.length], data: losses }, dtype);
  return reply;
}

function reply(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`); // one line per reply; stdout carries nothing else
}
console.log = console.error; // so a console.log() in an op goes to stderr, not into the protocol stream

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const message = JSON.parse(line);
  if (message.type === 'hello') {
    // Another minor version of the same major only adds what we may ignore (spec/protocol.md §4).
    if (String(message.protocol).split('.')[0] !== PROTOCOL_VERSION.split('.')[0]) {
      reply({ type: 'error', message: `this implementation speaks protocol ${PROTOCOL_VERSION}, not ${message.protocol}` });
      process.exit(1);
    }
    reply({ type: 'hello', protocol: PROTOCOL_VERSION, implementation: NAME, ops: Object.keys(OPS), dtypes: DTYPES });
  } else if (message.type === 'run') {
    try {
      reply(answer(message));
    } catch (err) {
      if (!(err instanceof Refusal)) console.error(err); // logs go to stderr; the runner quotes them
      reply({ type: 'error', id: message.id, message: String(err instanceof Error ? err.message : err) });
    }
  } else if (message.type === 'bye') {
    break;
  } else {
    reply({ type: 'error', ...(message.id && { id: message.id }), message: `unknown message type ${message.type}` });
  }
}
