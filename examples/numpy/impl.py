#!/usr/bin/env python3
"""gradspec's ops in vectorised NumPy, checked over the subprocess protocol (spec/protocol.md).

    npx gradspec run --exec "python3 examples/numpy/impl.py"

An op is one function `(attributes, inputs, params) -> (outputs, backward)` and one entry in OPS;
`backward(seeds)` returns a gradient per differentiable input and per param, by name. The protocol
(handshake, tensors, zero seeds, the SGD trajectory, refusals) is gradspec_protocol.py in
examples/python/. The formulas and their rule ids are spec/ops/<op>.md.

Every case is computed in its own dtype: float32 cases in float32 (BLAS sgemm, NumPy's pairwise
sums), and all of them pass at the fixtures' float32 tolerance, so nothing accumulates in float64
(gelu's erf is the one exception: math.erf works in double, and its result is cast back).
Inputs arrive read-only: writing into one raises, which is how the spec's "an op must not modify its
inputs" shows up here.
"""
import math
import os
import sys

try:
    import numpy as np
except ImportError:
    sys.exit("examples/numpy/impl.py needs NumPy, which %s cannot import: pip install numpy" % sys.executable)

# gradspec_protocol.py lives in examples/python/; a copy next to this file (or on PYTHONPATH) wins.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from gradspec_protocol import Refusal, serve  # noqa: E402

NAME = "numpy example 1.0 (numpy %s)" % np.__version__


# --- Building blocks: arrays in, arrays out ------------------------------------------------------

def softmax(x, axis=-1):
    """exp(x − max) / Σ exp(x − max): subtracting the max keeps ±1e3 logits finite (softmax S1)."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_backward(y, dy, axis=-1):
    """y ⊙ (dy − Σ dy ⊙ y): the Jacobian diag(y) − y·yᵀ applied without forming it (softmax B1)."""
    return y * (dy - (dy * y).sum(axis=axis, keepdims=True))


def log_softmax(x, axis=-1):
    """(x − m) − log Σ exp(x − m): finite where log(softmax(x)) would be log 0 (cross_entropy F1)."""
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def same_shape(op, a, b, names):
    if a.shape != b.shape:
        raise ValueError("%s: %s %s and %s %s must have the same shape" % (op, names[0], a.shape, names[1], b.shape))


# --- Ops ------------------------------------------------------------------------------------------

def matmul(attributes, inputs, params):
    a, b = inputs["a"], inputs["b"]
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:  # no vector promotion (matmul F2)
        raise ValueError("matmul: cannot multiply %s by %s" % ("×".join(map(str, a.shape)), "×".join(map(str, b.shape))))

    def backward(seeds):
        dy = seeds["y"]
        return {"a": dy @ b.T, "b": a.T @ dy}  # B1, B2
    return {"y": a @ b}, backward


def linear(attributes, inputs, params):
    x, W, b = inputs["x"], params["W"], params["b"]  # W is (in, out): y = x·W + b (linear F1)

    def backward(seeds):
        dy = seeds["y"]
        return {"x": dy @ W.T, "W": x.T @ dy, "b": dy.sum(axis=0)}  # B1, B2, B3: db sums the batch
    return {"y": x @ W + b}, backward


def relu(attributes, inputs, params):
    x = inputs["x"]

    def backward(seeds):
        return {"x": np.where(x > 0, seeds["y"], 0)}  # ReLU'(0) = 0 (relu B2)
    return {"y": np.maximum(x, 0)}, backward


def sigmoid(attributes, inputs, params):
    x = inputs["x"]
    e = np.exp(-np.abs(x))  # never overflows: the stable form of spec/ops/sigmoid.md s2
    y = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)

    def backward(seeds):
        return {"x": seeds["y"] * y * (1 - y)}  # sigmoid B1
    return {"y": y}, backward


def tanh(attributes, inputs, params):
    y = np.tanh(inputs["x"])  # saturates to ±1: no ∞/∞ at ±1e3 (tanh S2)

    def backward(seeds):
        return {"x": seeds["y"] * (1 - y * y)}  # from the output y (tanh B1)
    return {"y": y}, backward


def leaky_relu(attributes, inputs, params):
    x, alpha = inputs["x"], attributes.get("alpha", 0.01)  # PyTorch's default, not tf's 0.2 (F2)
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool):
        raise Refusal("leaky_relu: attribute alpha must be a number, got %r" % (alpha,))
    slope = np.where(x > 0, 1, alpha).astype(x.dtype)  # alpha at x = 0 too (leaky_relu B2)

    def backward(seeds):
        return {"x": seeds["y"] * slope}
    return {"y": x * slope}, backward


# NumPy has no erf. math.erf, vectorised, is C's erf: exact to the last bits, which gelu's float64
# cases need (an Abramowitz–Stegun approximation, 1.5e-7, would pass float32 only); the cases are
# small, so the Python-level loop costs nothing that matters here.
erf = np.vectorize(math.erf, otypes=[np.float64])
GELU_BETA, GELU_KAPPA = math.sqrt(2 / math.pi), 0.044715


def gelu(attributes, inputs, params):
    x, approximate = inputs["x"], attributes.get("approximate", "none")
    if approximate not in ("none", "tanh"):
        raise Refusal("gelu: approximate %r is not supported ('none' or 'tanh')" % (approximate,))
    if approximate == "none":
        cdf = 0.5 * (1 + erf(x / math.sqrt(2)))  # Φ(x), in float64 whatever the case dtype
        y = x * cdf  # gelu F1
        slope = cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)  # gelu B1
    else:
        t = np.tanh(GELU_BETA * (x + GELU_KAPPA * x ** 3))
        y = 0.5 * x * (1 + t)  # gelu F2
        slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * x * x)  # gelu B2

    def backward(seeds):
        return {"x": (seeds["y"] * slope).astype(x.dtype)}
    return {"y": y.astype(x.dtype)}, backward


def log_softmax_op(attributes, inputs, params):
    x, axis = inputs["x"], attributes.get("axis", -1)
    if axis not in (-1, x.ndim - 1) or isinstance(axis, bool):
        raise Refusal("log_softmax: only the last axis is supported, got axis %r" % (axis,))
    y = log_softmax(x)

    def backward(seeds):
        dy = seeds["y"]
        return {"x": dy - np.exp(y) * dy.sum(axis=-1, keepdims=True)}  # log_softmax B1
    return {"y": y}, backward


def dropout(attributes, inputs, params):
    x, mask = inputs["x"], inputs["mask"]
    same_shape("dropout", x, mask, ("x", "mask"))
    p, training = attributes.get("p", 0.5), attributes.get("training", True)
    if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p < 1:
        raise Refusal("dropout: attribute p must be a number in [0, 1), got %r" % (p,))
    keep = (mask * (1 / (1 - p))).astype(x.dtype) if training is not False else np.ones_like(x)  # F1, F2

    def backward(seeds):
        return {"x": seeds["y"] * keep}  # the same mask and scale (B1, B2); none for the mask
    return {"y": x * keep}, backward


def softmax_op(attributes, inputs, params):
    x, axis = inputs["x"], attributes.get("axis", -1)
    if not isinstance(axis, int) or isinstance(axis, bool) or not -x.ndim <= axis < x.ndim:
        raise Refusal("softmax: axis %r is not an axis of x with shape %s" % (axis, x.shape))
    y = softmax(x, axis)

    def backward(seeds):
        return {"x": softmax_backward(y, seeds["y"], axis)}
    return {"y": y}, backward


def mse(attributes, inputs, params):
    p, t = inputs["prediction"], inputs["target"]
    same_shape("mse", p, t, ("prediction", "target"))
    d = p - t

    def backward(seeds):
        return {"prediction": 2 * d / d.size * seeds["loss"]}  # mse B1: N is every element
    return {"loss": np.mean(d * d)}, backward


def mse_softmax(attributes, inputs, params):
    logits, t = inputs["logits"], inputs["target"]
    same_shape("mse_softmax", logits, t, ("logits", "target"))
    s = softmax(logits)
    d = s - t

    def backward(seeds):
        ds = 2 * d / d.size * seeds["loss"]
        return {"logits": softmax_backward(s, ds)}  # mse_softmax B1
    return {"loss": np.mean(d * d)}, backward


def cross_entropy(attributes, inputs, params):
    logits, t = inputs["logits"], inputs["target"]
    same_shape("cross_entropy", logits, t, ("logits", "target"))
    reduction = attributes.get("reduction", "mean")
    if reduction not in ("mean", "sum"):
        raise Refusal("cross_entropy: reduction %r is not supported (mean or sum)" % (reduction,))
    divisor = logits.shape[0] if reduction == "mean" else 1  # the batch (rows), not every element (F2)

    def backward(seeds):
        return {"logits": (softmax(logits) - t) * (seeds["loss"] / divisor)}  # B1, B2
    return {"loss": -(t * log_softmax(logits)).sum() / divisor}, backward


def sgd(attributes, inputs, params):
    """param − lr·grad; a Python float lr is cast to param's dtype first, as sgd F3 says."""
    lr = attributes.get("lr")
    if not isinstance(lr, (int, float)) or isinstance(lr, bool):
        raise Refusal("sgd: attribute lr must be a number, got %r" % (lr,))
    same_shape("sgd", inputs["param"], inputs["grad"], ("param", "grad"))
    return {"param_next": inputs["param"] - lr * inputs["grad"]}, None  # an update has no backward


LOSSES = {"cross_entropy": (cross_entropy, "logits"), "mse": (mse, "prediction"), "mse_softmax": (mse_softmax, "logits")}


def mlp(attributes, inputs, params):
    """Linear → ReLU → … → Linear, then a loss on the logits: the ops above, composed (mlp F1–F4, B1)."""
    sizes, loss_name = attributes.get("sizes"), attributes.get("loss", "cross_entropy")
    if loss_name not in LOSSES:
        raise Refusal("mlp: loss %r is not supported (%s)" % (loss_name, ", ".join(LOSSES)))
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise Refusal("mlp: attribute sizes must list at least two layer widths, got %r" % (sizes,))
    layers = len(sizes) - 1
    h, tape = inputs["x"], []  # tape: (layer index or None for a ReLU, its backward), in forward order
    for i in range(layers):
        W, b = params["W%d" % i], params["b%d" % i]
        if W.shape != (sizes[i], sizes[i + 1]):
            raise ValueError("mlp: W%d has shape %s, sizes say %s" % (i, W.shape, tuple(sizes[i:i + 2])))
        out, back = linear({}, {"x": h}, {"W": W, "b": b})
        tape.append((i, back))
        h = out["y"]
        if i < layers - 1:  # no ReLU after the last layer
            out, back = relu({}, {"x": h}, {})
            tape.append((None, back))
            h = out["y"]
    loss_op, loss_input = LOSSES[loss_name]
    loss_out, loss_back = loss_op(attributes, {loss_input: h, "target": inputs["target"]}, {})

    def backward(seeds):
        g = loss_back({"loss": seeds["loss"]})[loss_input] + seeds["logits"]
        grads = {}
        for i, back in reversed(tape):
            step = back({"y": g})
            g = step["x"]
            if i is not None:
                grads["W%d" % i], grads["b%d" % i] = step["W"], step["b"]
        grads["x"] = g
        return grads
    return {"logits": h, "loss": loss_out["loss"]}, backward


OPS = {
    "matmul": matmul,
    "linear": linear,
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "leaky_relu": leaky_relu,
    "gelu": gelu,
    "log_softmax": log_softmax_op,
    "dropout": dropout,
    "softmax": softmax_op,
    "mse": mse,
    "mse_softmax": mse_softmax,
    "cross_entropy": cross_entropy,
    "sgd": sgd,
    "mlp": mlp,
}


# --- Optimizers: make(config, params) -> step(params, grads) -> new params -------------------------

def make_sgd(config, params):
    lr = config["lr"]

    def step(params, grads):
        return {k: p - lr * grads[k] for k, p in params.items()}  # p ← p − lr·∇p (linear U1, mlp U1)
    return step


OPTIMIZERS = {"sgd": make_sgd}


if __name__ == "__main__":
    sys.exit(serve(OPS, name=NAME, arrays="numpy", optimizers=OPTIMIZERS))
