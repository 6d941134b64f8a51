// A fake implementation for conformance/test/subprocess.test.ts. It computes relu correctly and
// misbehaves on purpose when the case name in the request id says how (relu/<behaviour>); the first
// argument changes how it starts (exit-early, silent, old-protocol, strict-1.0: declines any hello but 1.0, exit-after-reply). Its pid is in its name so a test
// can check it was killed.
import { createInterface } from 'node:readline';

const mode = process.argv[2] || 'normal';
if (mode === 'exit-early') {
  process.stderr.write('fake: cannot load my weights, giving up\n');
  process.exit(3);
}

function send(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function relu(x) {
  return { dtype: x.dtype, shape: x.shape, data: x.data.map((v) => (typeof v === 'number' && v > 0 ? v : 0)) };
}

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.type === 'hello') {
    if (mode === 'silent') return;
    if (mode === 'strict-1.0' && message.protocol !== '1.0') {
      send({ type: 'error', message: `this fake speaks protocol 1.0, not ${message.protocol}` });
      process.exit(1);
    }
    send({
      type: 'hello',
      protocol: mode === 'old-protocol' ? '0.9' : mode === 'strict-1.0' ? '1.0' : '1.1',
      implementation: `misbehaving fake (pid ${process.pid})`,
      ops: ['relu'],
      dtypes: ['float64'],
    });
    return;
  }
  if (message.type === 'bye') process.exit(0);
  if (message.type !== 'run') return;

  const reply = { type: 'result', id: message.id, forward: { y: relu(message.inputs.x) } };
  switch (message.id.split('/')[1]) {
    case 'crash':
      process.stderr.write('fake: segfault in my relu kernel\n');
      process.exit(3);
      break;
    case 'hang':
      return; // never answers
    case 'non-json':
      process.stdout.write('computing relu...\n'); // a debug print on stdout instead of stderr
      send(reply);
      return;
    case 'extra-line':
      send(reply);
      send({ type: 'result', id: message.id, forward: {} }); // a second, unsolicited reply
      return;
    case 'echo-same': // protocol 1.3: the request's tensors as it holds them, untouched
      send({ ...reply, echo: { inputs: message.inputs } });
      return;
    case 'echo-written': // …after writing into x in place
      send({ ...reply, echo: { inputs: { x: { ...message.inputs.x, data: [42, ...message.inputs.x.data.slice(1)] } } } });
      return;
    case 'wrong-id':
      send({ ...reply, id: 'relu/some-other-case' });
      return;
    case 'malformed':
      reply.forward.y.data = reply.forward.y.data.slice(1); // one value short of its shape
      send(reply);
      return;
    case 'bad-dtype':
      reply.forward.y.dtype = 'float16';
      send(reply);
      return;
    case 'huge':
      process.stdout.write(`{"type":"result","id":"${message.id}","forward":{},"padding":"${'x'.repeat(2 * 1024 * 1024)}"}\n`);
      return;
    case 'echo-dtype':
      // Answers with the request's dtype field in place of the data, so a test can read what was sent.
      reply.forward.y = { dtype: 'float64', shape: [], data: [message.dtype === 'float64' ? 64 : message.dtype === 'float32' ? 32 : 0] };
      send(reply);
      return;
    case 'refuse':
      send({ type: 'error', id: message.id, message: 'relu: this fake refuses on purpose' });
      return;
    case 'exit-0':
      process.exit(0); // reads the request and leaves without a word
      break;
    default:
      send(reply);
      if (mode === 'exit-after-reply') process.exit(0); // spec/protocol.md §3: allowed between cases
  }
});
input.on('close', () => process.exit(0));
