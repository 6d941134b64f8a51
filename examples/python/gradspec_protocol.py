"""The gradspec subprocess protocol (spec/protocol.md) for Python implementations: you write the ops.

This module does the handshake and the message loop, decodes and encodes tensors, fills zero seeds,
runs the optimizer trajectory and turns refusals and exceptions into `error` replies. It uses the
standard library only; NumPy is imported only when you ask for NumPy arrays.

    import sys
    import numpy as np
    from gradspec_protocol import serve

    def relu(attributes, inputs, params):
        x = inputs["x"]

        def backward(seeds):                              # seeds: one per forward output
            return {"x": np.where(x > 0, seeds["y"], 0)}  # a gradient per input and param, by name
        return {"y": np.maximum(x, 0)}, backward

    sys.exit(serve({"relu": relu}, name="my layers", arrays="numpy"))

An op is `op(attributes, inputs, params) -> (outputs, backward)`:
- `attributes`: the request's attributes (numbers, strings, booleans, lists of numbers);
- `inputs`, `params`: tensors by name, in the case's dtype. With `arrays="numpy"` they are read-only
  `numpy.ndarray`s (so writing into one, the seed tutorial's ReLU bug, raises instead of passing
  silently); with `arrays="lists"` they are `Tensor(shape, data)` with `data` a flat row-major tuple;
- `outputs`: tensors by name; a scalar may be a plain number;
- `backward`: `None` for an op without backward, else `backward(seeds) -> {name: gradient}` with one
  gradient per differentiable input and per param. `seeds` holds a seed for every forward output (a
  zero tensor where the request gave none), in the same array kind as the inputs.

An optimizer is a factory `make(config, params)`, `config` the request's `optimizer` object (`type`,
`lr`, `steps`, and since protocol 1.2 `momentum`, `dampening`, `nesterov`, `weight_decay`, `betas`,
`eps`). It returns either a function `step(params, grads) -> new params` (stateless, plain SGD) or an
object with that `step` method and a `state()` method returning the optimizer's state after the last
step as `{state name: {param name: tensor}}` (`momentum_buffer`; `exp_avg`, `exp_avg_sq`), which is
sent as the reply's `state` and compared like the params. Pass them as
`serve(..., optimizers={"sgd": make_sgd, "adam": Adam, "adamw": Adam})`.

NumPy arrays are sent in their own dtype, so a float32 case answered with float64 arrays fails with
"has dtype float64, expected float32" (an np.float64 scalar promotes silently; cast back with
`.astype(x.dtype)`). Lists and plain numbers are sent in the case's dtype.

Logs: `print()` inside ops goes to stderr (stdout carries protocol messages only, protocol t3). An
exception in an op becomes an `error` reply naming the line of your code that raised it; the full
traceback goes to stderr.
"""
import json
import math
import sys
import traceback

PROTOCOL_VERSION = "1.3"
"""The protocol version this module speaks (spec/protocol.md §4). A runner speaking another minor
version of the same major gets this version back; another major is declined."""

DTYPES = ("float64", "float32")
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class Refusal(Exception):
    """A request the implementation declines on purpose (an attribute value it does not support):
    sent back as an `error` reply, and the case is reported as refused with this message."""


# --- Tensors ----------------------------------------------------------------------------------

class Tensor:
    """A tensor without NumPy: its shape and its elements as a flat row-major sequence.
    `dtype` None means "the case's dtype" when it is sent back."""
    __slots__ = ("shape", "data", "dtype")

    def __init__(self, shape, data, dtype=None):
        self.shape = list(shape)
        self.data = data
        self.dtype = dtype

    def __repr__(self):
        return "Tensor(%s, %d values%s)" % (self.shape, len(self.data), ", " + self.dtype if self.dtype else "")


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def decode_scalar(v):
    """A JSON element as a number: the strings "NaN", "Infinity", "-Infinity" stand for themselves."""
    if isinstance(v, str):
        if v not in NON_FINITE:
            raise ValueError("%r is neither a number nor \"NaN\", \"Infinity\", \"-Infinity\"" % (v,))
        return NON_FINITE[v]
    return v


def encode_scalar(v):
    """A float for JSON, which has no NaN or infinities: those become strings (protocol t6)."""
    if v != v:
        return "NaN"
    if v == math.inf:
        return "Infinity"
    if v == -math.inf:
        return "-Infinity"
    return v


def decode_tensor(t, arrays="lists", where="tensor"):
    """A protocol tensor {"dtype", "shape", "data"} as a Tensor (arrays="lists") or a read-only
    numpy.ndarray of that dtype and shape (arrays="numpy")."""
    dtype, shape, raw = t["dtype"], list(t["shape"]), t["data"]
    if dtype not in ("float64", "float32", "int64"):
        raise ValueError("%s: dtype %r is not float64, float32 or int64" % (where, dtype))
    if len(raw) != numel(shape):
        raise ValueError("%s: %d values do not fill shape %s" % (where, len(raw), shape))
    try:
        if arrays == "numpy":
            np = _numpy()
            try:
                a = np.array(raw, dtype=dtype)  # NumPy reads "NaN", "Infinity", "-Infinity" itself
            except (TypeError, ValueError):
                a = np.array([decode_scalar(v) for v in raw], dtype=dtype)  # names the bad element
            a = a.reshape(shape)
            a.flags.writeable = False
            return a
        if arrays == "lists":
            # A tuple, so that writing into an input raises instead of silently changing it.
            if dtype == "int64":
                return Tensor(shape, tuple(int(v) for v in raw), dtype)
            return Tensor(shape, tuple(v if type(v) is float else float(decode_scalar(v)) for v in raw), dtype)
    except (TypeError, ValueError) as err:
        raise ValueError("%s: %s" % (where, err))
    raise ValueError("arrays must be \"lists\" or \"numpy\", not %r" % (arrays,))


def encode_tensor(value, dtype, where="tensor"):
    """A tensor for JSON. `value` is a Tensor, a NumPy array or scalar (sent in its own dtype), or a
    plain number (a scalar). Tensors without a dtype and plain numbers are sent as `dtype`."""
    if isinstance(value, Tensor):
        if len(value.data) != numel(value.shape):
            raise ValueError("%s: %d values do not fill shape %s" % (where, len(value.data), value.shape))
        dtype = value.dtype or dtype
        data = [int(v) for v in value.data] if dtype == "int64" else [encode_scalar(float(v)) for v in value.data]
        return {"dtype": dtype, "shape": list(value.shape), "data": data}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"dtype": dtype, "shape": [], "data": [int(value) if dtype == "int64" else encode_scalar(float(value))]}
    if hasattr(value, "dtype") and hasattr(value, "shape"):
        return _encode_array(value, where)
    raise TypeError("%s: cannot send a %s as a tensor (a Tensor, a NumPy array or a number)" % (where, type(value).__name__))


def _encode_array(a, where):
    np = _numpy()
    a = np.asarray(a)
    name = a.dtype.name
    if name not in ("float64", "float32", "int64"):
        raise TypeError("%s: NumPy dtype %s cannot be sent; use float64, float32 or int64" % (where, name))
    data = a.ravel().tolist()  # row-major, as Python floats (exact for float32) or ints
    if name != "int64" and not np.isfinite(a).all():
        data = [encode_scalar(v) for v in data]
    return {"dtype": name, "shape": list(a.shape), "data": data}


_np = None


def _numpy():
    global _np
    if _np is None:
        try:
            import numpy
        except ImportError:
            raise RuntimeError("arrays=\"numpy\" needs NumPy: pip install numpy (or use arrays=\"lists\")")
        _np = numpy
    return _np


def _as_tensor(value, dtype, arrays):
    """An op's output in the array kind of its inputs: plain numbers become scalar tensors."""
    if arrays == "numpy":
        np = _numpy()
        return value if isinstance(value, (np.ndarray, np.generic)) else np.asarray(value, dtype=dtype)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Tensor([], (float(value),))
    return value  # a Tensor (or an array: encode_tensor sends those too)


def _zeros_like(value):
    """The seed of a forward output the request gives none for (protocol m4: a zero seed)."""
    if isinstance(value, Tensor):
        return Tensor(value.shape, (0.0,) * numel(value.shape), value.dtype)
    z = _numpy().zeros_like(value)
    z.flags.writeable = False
    return z


def _stack_scalars(values, arrays):
    if arrays == "numpy":
        np = _numpy()
        return np.stack([np.asarray(v).reshape(()) for v in values])
    return Tensor([len(values)], tuple(float(v.data[0]) if isinstance(v, Tensor) else float(v) for v in values))


def _freeze(tensors, arrays):
    if arrays == "numpy":
        np = _numpy()
        out = {}
        for k, v in tensors.items():
            v = np.array(v)  # a copy: never freeze an array the caller may still write into
            v.flags.writeable = False
            out[k] = v
        return out
    return tensors


# --- One run request → one reply ----------------------------------------------------------------

def case_dtype(request):
    """The dtype of the case: the request's `dtype` when the runner sends one, else the first float
    tensor's (an int64 target does not decide it)."""
    if request.get("dtype") in DTYPES:
        return request["dtype"]
    for group in ("inputs", "params", "grad_output"):
        for t in (request.get(group) or {}).values():
            if t.get("dtype") in DTYPES:
                return t["dtype"]
    return "float64"


def _call(op, attributes, inputs, params, dtype, arrays):
    result = op(attributes, inputs, params)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], dict)):
        raise TypeError("%s must return (outputs, backward): a dict of outputs and a backward function or None"
                        % getattr(op, "__name__", "the op"))
    outputs, backward = result
    return {k: _as_tensor(v, dtype, arrays) for k, v in outputs.items()}, backward


def _gradients(op_name, backward, outputs, grad_output, inputs, params, arrays):
    """backward(seeds) with a seed for every output; returns (grad_inputs, grad_params)."""
    if backward is None:
        raise Refusal("%s has no backward, but the request has grad_output" % op_name)
    unknown = sorted(set(grad_output) - set(outputs))
    if unknown:
        raise ValueError("grad_output seeds %s, which %s does not output (outputs: %s)"
                         % (", ".join(unknown), op_name, ", ".join(sorted(outputs))))
    seeds = {k: grad_output[k] if k in grad_output else _zeros_like(v) for k, v in outputs.items()}
    grads = backward(seeds)
    if not isinstance(grads, dict):
        raise TypeError("%s: backward must return a dict {input or param name: gradient}, got %s"
                        % (op_name, type(grads).__name__))
    stray = sorted(k for k in grads if k not in inputs and k not in params)
    if stray:
        raise ValueError("%s: backward returned a gradient for %s, which is neither an input (%s) nor a param (%s)"
                         % (op_name, ", ".join(stray), ", ".join(sorted(inputs)) or "none", ", ".join(sorted(params)) or "none"))
    missing = sorted(k for k in params if k not in grads)
    if missing:
        raise ValueError("%s: backward returned no gradient for param %s" % (op_name, ", ".join(missing)))
    return ({k: v for k, v in grads.items() if k in inputs}, {k: grads[k] for k in params})


def _encode_map(tensors, dtype, where):
    return {k: encode_tensor(v, dtype, "%s.%s" % (where, k)) for k, v in tensors.items()}


def answer(request, ops, optimizers=None, arrays="lists", echo=False):
    """The reply to one `run` request (a dict, the request's unknown fields ignored). A Refusal or any
    other exception propagates; `serve` turns it into an `error` reply. With `echo` (protocol 1.3) the
    reply also sends back the request's tensors as the op functions left them, so the runner can tell
    an op that wrote into what it was given."""
    held = {}
    reply = _answer(request, ops, optimizers, arrays, held)
    if echo:
        reply["echo"] = {group: {k: encode_tensor(v, request[group][k]["dtype"], "echo.%s.%s" % (group, k))
                                 for k, v in tensors.items()}
                         for group, tensors in held.items() if tensors}
    return reply


def _answer(request, ops, optimizers, arrays, held):
    op_name = request.get("op")
    op = ops.get(op_name)
    if op is None:
        raise Refusal("op %r is not implemented by this program (it implements %s)" % (op_name, ", ".join(sorted(ops))))
    dtype = case_dtype(request)
    attributes = request.get("attributes") or {}
    inputs = {k: decode_tensor(t, arrays, "inputs." + k) for k, t in (request.get("inputs") or {}).items()}
    params = {k: decode_tensor(t, arrays, "params." + k) for k, t in (request.get("params") or {}).items()}
    grad_output = request.get("grad_output")
    if grad_output is not None:
        grad_output = {k: decode_tensor(t, arrays, "grad_output." + k) for k, t in grad_output.items()}
    held.update(inputs=inputs, params=params, grad_output=grad_output or {})  # as sent, for the echo
    optimizer = request.get("optimizer")
    if optimizer is not None and grad_output is None:
        raise Refusal("a request with an optimizer needs grad_output (protocol m4)")

    outputs, backward = _call(op, attributes, inputs, params, dtype, arrays)
    # Encoded at once: the trajectory below must not be able to change what step 0 reports.
    reply = {"type": "result", "id": request["id"], "forward": _encode_map(outputs, dtype, "forward")}
    if grad_output is None:
        return reply
    grad_inputs, grad_params = _gradients(op_name, backward, outputs, grad_output, inputs, params, arrays)
    reply["grad_inputs"] = _encode_map(grad_inputs, dtype, "grad_inputs")
    reply["grad_params"] = _encode_map(grad_params, dtype, "grad_params")
    if optimizer is None:
        return reply

    make_step = (optimizers or {}).get(optimizer.get("type"))
    if make_step is None:
        raise Refusal("optimizer %r is not implemented by this program (it implements %s)"
                      % (optimizer.get("type"), ", ".join(sorted(optimizers or {})) or "none"))
    made = make_step(optimizer, params)
    step = made if callable(made) else made.step
    losses = []
    for s in range(optimizer["steps"]):
        if s > 0:  # step 0 is the forward and backward already computed, with the params as sent
            outputs, backward = _call(op, attributes, inputs, params, dtype, arrays)
            _, grad_params = _gradients(op_name, backward, outputs, grad_output, inputs, params, arrays)
        if "loss" in outputs:
            losses.append(outputs["loss"])
        params = _freeze(step(params, grad_params), arrays)
    reply["params"] = _encode_map(params, dtype, "params")
    if losses:
        reply["losses"] = encode_tensor(_stack_scalars(losses, arrays), dtype, "losses")
    state = made.state() if hasattr(made, "state") else None
    if state:  # momentum_buffer, or exp_avg and exp_avg_sq: {state name: {param name: tensor}}
        reply["state"] = {kind: _encode_map(m, dtype, "state." + kind) for kind, m in state.items()}
    return reply


# --- The message loop ---------------------------------------------------------------------------

def _hello(message, name, ops, dtypes):
    """(reply, keep serving) for a hello: same major version → our version; another major → decline."""
    theirs = str(message.get("protocol"))
    if theirs.split(".")[0] != PROTOCOL_VERSION.split(".")[0]:
        return {"type": "error", "message": "this implementation speaks gradspec protocol %s, not %s"
                % (PROTOCOL_VERSION, theirs)}, False
    return {"type": "hello", "protocol": PROTOCOL_VERSION, "implementation": name,
            "ops": sorted(ops), "dtypes": list(dtypes)}, True


def _describe(err, op_name):
    """An exception as one sentence for the refusal message, with the line of your code that raised it;
    a write into a given tensor says so."""
    text = "%s: %s%s" % (type(err).__name__, err, _where(err))
    if "read-only" in str(err) or "does not support item assignment" in str(err):
        return ("%s wrote into a tensor it was given (%s); ops must not modify inputs, params or grad_output "
                "(spec/INTERPRETING.md §2): compute a new array instead" % (op_name, text))
    return "%s: %s" % (op_name, text)


def _where(err):
    """' (at impl.py:42, in backward)': the innermost frame outside this module and installed packages."""
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        path = frame.filename.replace("\\", "/")
        if path.endswith("/gradspec_protocol.py") or "-packages/" in path or path.startswith("<"):
            continue
        return " (at %s:%d, in %s)" % (path.rsplit("/", 1)[-1], frame.lineno, frame.name)
    return ""


def serve(ops, name, arrays="lists", dtypes=DTYPES, optimizers=None, stdin=None, stdout=None):
    """Answers the runner until `bye` or end of input; returns the exit status for sys.exit.

    ops: {op name: op function}; name: shown in reports; arrays: "lists" or "numpy"; dtypes: the case
    dtypes handled; optimizers: {optimizer type: factory}."""
    if arrays == "numpy":
        _numpy()  # fail at start, with a sentence, rather than on every case
    elif arrays != "lists":
        raise ValueError("arrays must be \"lists\" or \"numpy\", not %r" % (arrays,))
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    saved_stdout, sys.stdout = sys.stdout, sys.stderr  # a print() in an op must not corrupt the stream

    def send(message):
        out.write(json.dumps(message, separators=(",", ":"), allow_nan=False) + "\n")
        out.flush()

    echo = False
    try:
        while True:
            line = inp.readline()
            if not line:
                return 0  # end of input: the runner is gone
            if not line.strip():
                continue
            try:
                message = json.loads(line)
                kind = message.get("type")
            except (ValueError, AttributeError):
                sys.stderr.write("gradspec_protocol: not a JSON message: %s\n" % line[:200].rstrip())
                send({"type": "error", "message": "could not parse the request as a JSON object"})
                continue
            if kind == "hello":
                echo = _minor(message.get("protocol")) >= 3  # the runner reads an echo since 1.3
                reply, ok = _hello(message, name, ops, dtypes)
                send(reply)
                if not ok:
                    return 1
            elif kind == "run":
                send(_run_safely(message, ops, optimizers, arrays, echo))
            elif kind == "bye":
                return 0
            else:  # a message from a later protocol version: answer it, so the stream stays in step
                reply = {"type": "error", "message": "unknown message type %r" % (kind,)}
                if isinstance(message.get("id"), str) and message["id"]:
                    reply["id"] = message["id"]
                send(reply)
    except BrokenPipeError:
        return 0  # the runner closed our stdout: nobody is left to answer
    finally:
        sys.stdout = saved_stdout


def _minor(version):
    try:
        return int(str(version).split(".")[1])
    except (IndexError, ValueError):
        return 0


def _run_safely(message, ops, optimizers, arrays, echo=False):
    try:
        return answer(message, ops, optimizers, arrays, echo)
    except Refusal as refusal:
        return {"type": "error", "id": message.get("id", "?"), "message": str(refusal)}
    except Exception as err:  # a bug or bad input: say so on stderr, keep serving the next case
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        return {"type": "error", "id": message.get("id", "?"), "message": _describe(err, message.get("op", "?"))}
