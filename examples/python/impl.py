#!/usr/bin/env python3
"""A gradspec implementation in plain Python: the standard library only, tensors as flat lists.

It speaks the subprocess protocol of spec/protocol.md (version 1.1): one JSON request per line on
stdin, one JSON reply per line on stdout (flushed), logs on stderr. Run the suite against it with

    npx gradspec run --exec "python3 examples/python/impl.py"

Each op is a function returning its forward outputs and a `backward(seeds)` closure beside it
(micrograd style), so forward and backward read side by side. Float32 cases are computed in Python
floats (double precision); the float32 tolerances allow it.
"""
import json
import math
import sys
import traceback

PROTOCOL = "1.1"  # any 1.x runner is greeted: minor versions only add fields a child may ignore
NAME = "python-stdlib example 1.0"
DTYPES = ["float64", "float32"]


class Refusal(Exception):
    """A request this implementation declines on purpose; sent back as an `error` reply."""


# --- Tensors: a shape and a flat row-major list ----------------------------------------------

class Tensor:
    __slots__ = ("shape", "data")

    def __init__(self, shape, data):
        self.shape = list(shape)
        self.data = data

    def __repr__(self):
        return "Tensor(%s, %d values)" % (self.shape, len(self.data))


NON_FINITE_IN = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def decode(t, where):
    data = [NON_FINITE_IN[v] if isinstance(v, str) else float(v) for v in t["data"]]
    if len(data) != numel(t["shape"]):
        raise ValueError("%s: %d values do not fill shape %s" % (where, len(data), t["shape"]))
    return Tensor(t["shape"], data)


def encode_number(v):
    if v != v:
        return "NaN"
    if v in (math.inf, -math.inf):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def encode(t, dtype):
    return {"dtype": dtype, "shape": t.shape, "data": [encode_number(v) for v in t.data]}


def fmt(shape):
    return "(" + "×".join(str(d) for d in shape) + ")"


def same_shape(op, a, b, names):
    if a.shape != b.shape:
        raise ValueError("%s: %s %s and %s %s must have the same shape" % (op, names[0], fmt(a.shape), names[1], fmt(b.shape)))


def seed_of(seeds, name, like):
    """The upstream gradient of output `name`; an output without a seed has a zero seed."""
    s = seeds.get(name)
    if s is None:
        return [0.0] * len(like.data)
    same_shape("grad_output", s, like, (name + " seed", name))
    return s.data


# --- Kernels on flat lists --------------------------------------------------------------------

def mm(a, m, k, b, n):
    """(m×k)·(k×n), row by row: each output row is Σ_p a[i,p]·b[p,:]."""
    b_rows = [b[p * n:(p + 1) * n] for p in range(k)]
    out = []
    for i in range(m):
        row = [0.0] * n
        for a_ip, b_row in zip(a[i * k:(i + 1) * k], b_rows):
            row = [r + a_ip * bv for r, bv in zip(row, b_row)]
        out.extend(row)
    return out


def transpose(a, m, n):
    """(m×n) → (n×m)."""
    return [a[i * n + j] for j in range(n) for i in range(m)]


def lanes(shape, axis):
    """Index lists of every 1-D slice along `axis` (row-major)."""
    rank = len(shape)
    if not -rank <= axis < rank:
        raise Refusal("axis %d is out of range for rank %d" % (axis, rank))
    axis %= rank
    outer, length, inner = numel(shape[:axis]), shape[axis], numel(shape[axis + 1:])
    return [[(o * length + j) * inner + i for j in range(length)] for o in range(outer) for i in range(inner)]


def softmax_data(x, shape, axis=-1):
    """exp(x − max) / Σ exp(x − max) along `axis`: the max-subtraction keeps ±1e3 finite."""
    y = [0.0] * len(x)
    for lane in lanes(shape, axis):
        m = max(x[i] for i in lane)
        e = [math.exp(x[i] - m) for i in lane]
        total = sum(e)
        for i, v in zip(lane, e):
            y[i] = v / total
    return y


def softmax_backward_data(y, dy, shape, axis=-1):
    """dx = y ⊙ (dy − Σ(dy ⊙ y)) along `axis`: the Jacobian applied without forming it."""
    dx = [0.0] * len(y)
    for lane in lanes(shape, axis):
        dot = sum(dy[i] * y[i] for i in lane)
        for i in lane:
            dx[i] = y[i] * (dy[i] - dot)
    return dx


def log_softmax_data(x, shape):
    """(x − m) − log Σ exp(x − m) over the last axis: finite even where softmax underflows to 0."""
    out = [0.0] * len(x)
    for lane in lanes(shape, -1):
        m = max(x[i] for i in lane)
        log_total = math.log(sum(math.exp(x[i] - m) for i in lane))
        for i in lane:
            out[i] = x[i] - m - log_total
    return out


# --- Layers: each returns (outputs, backward) -------------------------------------------------

def relu_layer(x):
    y = Tensor(x.shape, [v if not v <= 0 else 0.0 for v in x.data])  # NaN stays NaN

    def backward(dy):
        return [g if v > 0 else 0.0 for v, g in zip(x.data, dy)]  # ReLU'(0) = 0
    return y, backward


def linear_layer(x, W, b):
    """y = x·W + b with W of shape (in, out); leading axes of x are the batch."""
    if len(W.shape) != 2 or len(b.shape) != 1 or not x.shape or x.shape[-1] != W.shape[0] or b.shape[0] != W.shape[1]:
        raise ValueError("linear: x %s, W %s and b %s do not fit y = x·W + b with W (in, out)"
                         % (fmt(x.shape), fmt(W.shape), fmt(b.shape)))
    fan_in, fan_out = W.shape
    rows = numel(x.shape[:-1])
    y = mm(x.data, rows, fan_in, W.data, fan_out)
    for r in range(rows):
        for j in range(fan_out):
            y[r * fan_out + j] += b.data[j]

    def backward(dy):
        dx = mm(dy, rows, fan_out, transpose(W.data, fan_in, fan_out), fan_in)   # dx = dy·Wᵀ
        dW = mm(transpose(x.data, rows, fan_in), fan_in, rows, dy, fan_out)       # dW = xᵀ·dy
        db = [sum(dy[r * fan_out + j] for r in range(rows)) for j in range(fan_out)]  # db = Σ_batch dy
        return dx, dW, db
    return Tensor(x.shape[:-1] + [fan_out], y), backward


def mse_loss(p, t):
    """Σ (p − t)² / N over all N elements; dp = 2(p − t)/N · g."""
    same_shape("mse", p, t, ("prediction", "target"))
    n = len(p.data)
    diff = [a - b for a, b in zip(p.data, t.data)]
    loss = sum(d * d for d in diff) / n

    def backward(g):
        return [2.0 * d / n * g for d in diff]
    return loss, backward


def mse_softmax_loss(logits, t):
    """mse(softmax(logits), t), the gradient taken back through the softmax Jacobian."""
    same_shape("mse_softmax", logits, t, ("logits", "target"))
    s = Tensor(logits.shape, softmax_data(logits.data, logits.shape))
    loss, mse_back = mse_loss(s, t)

    def backward(g):
        return softmax_backward_data(s.data, mse_back(g), logits.shape)
    return loss, backward


def cross_entropy_loss(logits, t, reduction):
    """−Σ t · log_softmax(logits); `mean` divides by the batch (axis 0); dlogits = (softmax − t)/B."""
    same_shape("cross_entropy", logits, t, ("logits", "target"))
    if reduction not in ("mean", "sum"):
        raise Refusal("cross_entropy: reduction %r is not supported (mean or sum)" % (reduction,))
    batch = logits.shape[0] if reduction == "mean" and len(logits.shape) >= 2 else 1
    lsm = log_softmax_data(logits.data, logits.shape)
    loss = -sum(tv * lv for tv, lv in zip(t.data, lsm) if tv != 0) / batch

    def backward(g):
        s = softmax_data(logits.data, logits.shape)
        return [(sv - tv) * g / batch for sv, tv in zip(s, t.data)]
    return loss, backward


def loss_by_name(name, reduction):
    if name == "mse":
        return mse_loss
    if name == "mse_softmax":
        return mse_softmax_loss
    if name == "cross_entropy":
        return lambda logits, t: cross_entropy_loss(logits, t, reduction)
    raise Refusal("mlp: loss %r is not supported (cross_entropy, mse or mse_softmax)" % (name,))


# --- Ops: (attributes, inputs, params) → (forward, backward(seeds) → (grad_inputs, grad_params)) ---

def need(tensors, name, what):
    if name not in tensors:
        raise ValueError("missing %s %r" % (what, name))
    return tensors[name]


def scalar(v):
    return Tensor([], [v])


def op_matmul(attributes, inputs, params):
    a, b = need(inputs, "a", "input"), need(inputs, "b", "input")
    if len(a.shape) != 2 or len(b.shape) != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("matmul: cannot multiply %s by %s" % (fmt(a.shape), fmt(b.shape)))
    (m, k), n = a.shape, b.shape[1]
    y = Tensor([m, n], mm(a.data, m, k, b.data, n))

    def backward(seeds):
        dy = seed_of(seeds, "y", y)
        da = mm(dy, m, n, transpose(b.data, k, n), k)   # da = dy·bᵀ
        db = mm(transpose(a.data, m, k), k, m, dy, n)   # db = aᵀ·dy
        return {"a": Tensor(a.shape, da), "b": Tensor(b.shape, db)}, {}
    return {"y": y}, backward


def op_linear(attributes, inputs, params):
    x, W, b = need(inputs, "x", "input"), need(params, "W", "param"), need(params, "b", "param")
    y, back = linear_layer(x, W, b)

    def backward(seeds):
        dx, dW, db = back(seed_of(seeds, "y", y))
        return {"x": Tensor(x.shape, dx)}, {"W": Tensor(W.shape, dW), "b": Tensor(b.shape, db)}
    return {"y": y}, backward


def op_relu(attributes, inputs, params):
    x = need(inputs, "x", "input")
    y, back = relu_layer(x)

    def backward(seeds):
        return {"x": Tensor(x.shape, back(seed_of(seeds, "y", y)))}, {}
    return {"y": y}, backward


def op_sigmoid(attributes, inputs, params):
    x = need(inputs, "x", "input")
    # Stable: exp(-v) only for v >= 0, exp(v) only for v < 0, so neither overflows at |x| = 1e3.
    y = Tensor(x.shape, [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
                         for v in x.data])

    def backward(seeds):
        dy = seed_of(seeds, "y", y)
        return {"x": Tensor(x.shape, [g * s * (1.0 - s) for s, g in zip(y.data, dy)])}, {}
    return {"y": y}, backward


def op_softmax(attributes, inputs, params):
    x = need(inputs, "x", "input")
    axis = attributes.get("axis", -1)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise Refusal("softmax: attribute axis must be an integer, got %r" % (axis,))
    if not -len(x.shape) <= axis < len(x.shape):
        raise Refusal("softmax: axis %d is out of range for x of shape %s" % (axis, fmt(x.shape)))
    y = Tensor(x.shape, softmax_data(x.data, x.shape, axis))

    def backward(seeds):
        return {"x": Tensor(x.shape, softmax_backward_data(y.data, seed_of(seeds, "y", y), x.shape, axis))}, {}
    return {"y": y}, backward


def loss_op(name, input_name, loss_fn):
    def op(attributes, inputs, params):
        p, t = need(inputs, input_name, "input"), need(inputs, "target", "input")
        loss, back = loss_fn(p, t, attributes)
        out = scalar(loss)

        def backward(seeds):
            return {input_name: Tensor(p.shape, back(seed_of(seeds, "loss", out)[0]))}, {}
        return {"loss": out}, backward
    op.__name__ = "op_" + name
    return op


op_mse = loss_op("mse", "prediction", lambda p, t, attrs: mse_loss(p, t))
op_mse_softmax = loss_op("mse_softmax", "logits", lambda p, t, attrs: mse_softmax_loss(p, t))
op_cross_entropy = loss_op("cross_entropy", "logits",
                           lambda p, t, attrs: cross_entropy_loss(p, t, attrs.get("reduction", "mean")))


def op_sgd(attributes, inputs, params):
    """param_next = param − lr·grad (one step of plain SGD, as an op of its own)."""
    p, g = need(inputs, "param", "input"), need(inputs, "grad", "input")
    same_shape("sgd", p, g, ("param", "grad"))
    lr = attributes.get("lr")
    if not isinstance(lr, (int, float)) or isinstance(lr, bool):
        raise Refusal("sgd: attribute lr must be a number, got %r" % (lr,))
    out = Tensor(p.shape, [pv - lr * gv for pv, gv in zip(p.data, g.data)])
    return {"param_next": out}, lambda seeds: ({}, {})


def op_mlp(attributes, inputs, params):
    """Linear → ReLU → … → Linear, then the loss named by `loss` on the logits."""
    sizes = attributes.get("sizes")
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise Refusal("mlp: attribute sizes must list at least two layer widths, got %r" % (sizes,))
    loss_fn = loss_by_name(attributes.get("loss", "cross_entropy"), attributes.get("reduction", "mean"))
    x, target = need(inputs, "x", "input"), need(inputs, "target", "input")
    layers = len(sizes) - 1
    h, backs = x, []
    for layer in range(layers):
        W, b = need(params, "W%d" % layer, "param"), need(params, "b%d" % layer, "param")
        if W.shape != [sizes[layer], sizes[layer + 1]]:
            raise ValueError("mlp: W%d has shape %s, sizes say %s" % (layer, fmt(W.shape), fmt(sizes[layer:layer + 2])))
        h, lin_back = linear_layer(h, W, b)
        backs.append(("linear", layer, lin_back))
        if layer < layers - 1:
            h, relu_back = relu_layer(h)
            backs.append(("relu", layer, relu_back))
    logits = h
    loss, loss_back = loss_fn(logits, target)
    out = scalar(loss)

    def backward(seeds):
        g = loss_back(seed_of(seeds, "loss", out)[0])
        g = [a + b for a, b in zip(g, seed_of(seeds, "logits", logits))]
        grad_params = {}
        for kind, layer, back in reversed(backs):
            if kind == "relu":
                g = back(g)
            else:
                g, dW, db = back(g)
                grad_params["W%d" % layer] = Tensor(params["W%d" % layer].shape, dW)
                grad_params["b%d" % layer] = Tensor(params["b%d" % layer].shape, db)
        return {"x": Tensor(x.shape, g)}, grad_params
    return {"logits": logits, "loss": out}, backward


OPS = {
    "matmul": op_matmul,
    "linear": op_linear,
    "relu": op_relu,
    "sigmoid": op_sigmoid,
    "softmax": op_softmax,
    "mse": op_mse,
    "mse_softmax": op_mse_softmax,
    "cross_entropy": op_cross_entropy,
    "sgd": op_sgd,
    "mlp": op_mlp,
}


# --- One request → one reply ------------------------------------------------------------------

def case_dtype(request):
    if request.get("dtype") in ("float64", "float32"):
        return request["dtype"]  # protocol 1.1 sends it; a 1.0 runner did not
    for group in ("inputs", "params", "grad_output"):
        for t in request.get(group, {}).values():
            if t["dtype"] != "int64":
                return t["dtype"]
    return "float64"


def run(request):
    op = OPS.get(request["op"])
    if op is None:
        raise Refusal("op %r is not implemented" % (request["op"],))
    dtype = case_dtype(request)
    attributes = request.get("attributes", {})
    inputs = {k: decode(t, "inputs." + k) for k, t in request.get("inputs", {}).items()}
    params = {k: decode(t, "params." + k) for k, t in request.get("params", {}).items()}
    seeds = None
    if "grad_output" in request:
        seeds = {k: decode(t, "grad_output." + k) for k, t in request["grad_output"].items()}
    optimizer = request.get("optimizer")

    forward, backward = op(attributes, inputs, params)
    reply = {"forward": {k: encode(t, dtype) for k, t in forward.items()}}
    if seeds is None and optimizer is not None:
        if "loss" not in forward:
            raise Refusal("an optimizer needs grad_output for an op without a loss output")
        seeds = {"loss": scalar(1.0)}
    if seeds is not None:
        grad_inputs, grad_params = backward(seeds)
        reply["grad_inputs"] = {k: encode(t, dtype) for k, t in grad_inputs.items()}
        reply["grad_params"] = {k: encode(t, dtype) for k, t in grad_params.items()}
    if optimizer is not None:
        params, losses = sgd_steps(op, attributes, inputs, params, seeds, optimizer)
        reply["params"] = {k: encode(t, dtype) for k, t in params.items()}
        if "loss" in forward:
            reply["losses"] = encode(Tensor([len(losses)], losses), dtype)
    return reply


def sgd_steps(op, attributes, inputs, params, seeds, optimizer):
    """`steps` times: forward and backward on the same inputs, then p ← p − lr·∇p for every param."""
    if optimizer.get("type") != "sgd":
        raise Refusal("optimizer %r is not supported (sgd)" % (optimizer.get("type"),))
    lr, losses = optimizer["lr"], []
    for _ in range(optimizer["steps"]):
        forward, backward = op(attributes, inputs, params)
        if "loss" in forward:
            losses.append(forward["loss"].data[0])
        _, grads = backward(seeds)
        params = {k: Tensor(p.shape, [v - lr * g for v, g in zip(p.data, grads[k].data)]) for k, p in params.items()}
    return params, losses


# --- The protocol loop ------------------------------------------------------------------------

def send(message):
    sys.stdout.write(json.dumps(message, separators=(",", ":"), allow_nan=False) + "\n")
    sys.stdout.flush()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0  # end of input: the runner is gone
        if not line.strip():
            continue
        message = json.loads(line)
        kind = message.get("type")
        if kind == "hello":
            if not str(message.get("protocol", "")).startswith("1."):
                send({"type": "error", "message": "this implementation speaks protocol %s, not %s"
                      % (PROTOCOL, message.get("protocol"))})
                return 1
            send({"type": "hello", "protocol": PROTOCOL, "implementation": NAME,
                  "ops": sorted(OPS), "dtypes": DTYPES})
        elif kind == "run":
            try:
                reply = run(message)
                send(dict(type="result", id=message["id"], **reply))
            except Refusal as refusal:
                send({"type": "error", "id": message["id"], "message": str(refusal)})
            except Exception as err:  # a bug or bad input: say so, keep serving the next case
                log(traceback.format_exc())
                send({"type": "error", "id": message["id"], "message": "%s: %s" % (type(err).__name__, err)})
        elif kind == "bye":
            return 0
        else:
            log("ignoring a message of unknown type %r" % (kind,))


if __name__ == "__main__":
    sys.exit(main())
