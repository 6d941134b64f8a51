#!/usr/bin/env python3
"""gradspec's ops in vectorised NumPy, checked over the subprocess protocol (spec/protocol.md).

    npx gradspec run --exec "python3 examples/numpy/impl.py"

An op is one function `(attributes, inputs, params) -> (outputs, backward)` and one entry in OPS;
`backward(seeds)` returns a gradient per differentiable input and per param, by name. The protocol
(handshake, tensors, zero seeds, the SGD trajectory, refusals) is gradspec_protocol.py in
examples/python/. The formulas and their rule ids are spec/ops/<op>.md.

Every case is computed in its own dtype: float32 cases in float32 (BLAS sgemm, NumPy's pairwise
sums), and all of them pass at the fixtures' float32 tolerance, so nothing accumulates in float64.
Inputs arrive read-only: writing into one raises, which is how the spec's "an op must not modify its
inputs" shows up here.
"""
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
    x, W = inputs["x"], params["W"]  # W is (in, out): y = x·W + b (linear F1)
    b = params["b"] if attributes.get("bias", True) else None  # bias: false has no b, no db (F2, B4)

    def backward(seeds):
        dy = seeds["y"]
        grads = {"x": dy @ W.T, "W": x.T @ dy}  # B1, B2
        if b is not None:
            grads["b"] = dy.sum(axis=0)  # B3: db sums the batch
        return grads
    return {"y": x @ W if b is None else x @ W + b}, backward


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


def class_rows(op, scores, target, attributes):
    """(kept rows, each row's class with 0 where ignored): a target must be a class or ignore_index (F3)."""
    ignore_index = attributes.get("ignore_index", -100)
    if scores.ndim != 2 or target.shape != scores.shape[:1]:
        raise ValueError("%s: target %s must hold one class index per row of %s" % (op, target.shape, scores.shape))
    kept = target != ignore_index
    bad = kept & ((target < 0) | (target >= scores.shape[1]))
    if bad.any():
        b = int(np.argmax(bad))
        raise ValueError("%s: target[%d] = %d is not a class in [0, %d) nor ignore_index %d" % (op, b, target[b], scores.shape[1], ignore_index))
    return kept, np.where(kept, target, 0)


def picked_scale(op, kept, attributes, dtype):
    """1/K for mean (K rows kept; NaN when none is), 1 for sum, in the case's dtype."""
    reduction = attributes.get("reduction", "mean")
    if reduction not in ("mean", "sum"):
        raise Refusal("%s: reduction %r is not supported (mean or sum)" % (op, reduction))
    k = int(kept.sum()) if reduction == "mean" else 1
    return dtype.type(1 / k if k else np.nan)


def nll(attributes, inputs, params):
    log_probs, target = inputs["log_probs"], inputs["target"]
    kept, cls = class_rows("nll", log_probs, target, attributes)
    rows = np.arange(len(cls))
    scale = picked_scale("nll", kept, attributes, log_probs.dtype)
    picked = np.where(kept, log_probs[rows, cls], 0)  # an ignored row adds nothing (F3)

    def backward(seeds):
        grad = np.zeros_like(log_probs)
        grad[rows[kept], cls[kept]] = -seeds["loss"] * scale  # B1, B2; ignored rows stay 0
        return {"log_probs": grad}
    loss = -picked.sum() * scale if kept.any() or attributes.get("reduction", "mean") == "sum" else scale  # 0/0 = NaN (S3)
    return {"loss": loss.astype(log_probs.dtype)}, backward


def cross_entropy_index(attributes, inputs, params):
    logits, target = inputs["logits"], inputs["target"]
    out, _ = nll(attributes, {"log_probs": log_softmax(logits), "target": target}, {})
    kept, cls = class_rows("cross_entropy_index", logits, target, attributes)
    scale = picked_scale("cross_entropy_index", kept, attributes, logits.dtype)

    def backward(seeds):
        grad = softmax(logits)
        grad[np.arange(len(cls)), cls] -= 1
        return {"logits": np.where(kept[:, None], grad * (seeds["loss"] * scale), 0).astype(logits.dtype)}  # B1, B2
    return out, backward


def binary_cross_entropy_with_logits(attributes, inputs, params):
    z, t = inputs["logits"], inputs["target"]
    same_shape("binary_cross_entropy_with_logits", z, t, ("logits", "target"))
    reduction = attributes.get("reduction", "mean")
    if reduction not in ("mean", "sum"):
        raise Refusal("binary_cross_entropy_with_logits: reduction %r is not supported (mean or sum)" % (reduction,))
    p = inputs.get("pos_weight")  # shape (C), broadcast over the last axis (F3); absent: every weight 1
    lw = 1 if p is None else 1 + (p - 1) * t
    n = z.dtype.type(z.size if reduction == "mean" else 1)  # every element, not the batch (F2)
    loss = ((1 - t) * z + lw * (np.log1p(np.exp(-np.abs(z))) + np.maximum(-z, 0))).sum() / n  # F1: never overflows

    def backward(seeds):
        e = np.exp(-np.abs(z))
        s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # σ(z), stable
        grad = s - t if p is None else lw * s - p * t  # B1
        return {"logits": (grad * (seeds["loss"] / n)).astype(z.dtype)}  # B2
    return {"loss": loss.astype(z.dtype)}, backward


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
    "softmax": softmax_op,
    "mse": mse,
    "mse_softmax": mse_softmax,
    "cross_entropy": cross_entropy,
    "cross_entropy_index": cross_entropy_index,
    "nll": nll,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
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
