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


def int_pair(op, name, value, default):
    """n → (n, n); [a, b] → (a, b)."""
    value = default if value is None else value
    pair = [value, value] if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if not isinstance(pair, list) or len(pair) != 2 or any(int(v) != v or v < 1 for v in pair):
        raise Refusal("%s: %s must be a positive integer or two, got %r" % (op, name, value))
    return int(pair[0]), int(pair[1])


def four_pads(op, padding):
    """(top, left, bottom, right) from [pH, pW] (symmetric, PyTorch) or four numbers (ONNX's order)."""
    p = [0, 0] if padding is None else [padding, padding] if isinstance(padding, (int, float)) else padding
    if not isinstance(p, list) or len(p) not in (2, 4) or any(int(v) != v or v < 0 for v in p):
        raise Refusal("%s: padding must be [pH, pW] or [top, left, bottom, right], got %r" % (op, padding))
    p = [int(v) for v in p]
    return tuple(p) if len(p) == 4 else (p[0], p[1], p[0], p[1])


class Windows:
    """The windows of a kernel over NCHW x: view(xp) is (N, C, OH, OW, kH, kW), a strided view of the
    padded input (no copy); add_back() is its adjoint, each window element added where it was read."""

    def __init__(self, op, shape, kernel, attributes):
        if len(shape) != 4:
            raise ValueError("%s: expected an N×C×H×W input, got shape %s" % (op, shape))
        self.shape, self.kernel = shape, kernel
        self.stride = int_pair(op, "stride", attributes.get("stride"), 1)
        self.dilation = int_pair(op, "dilation", attributes.get("dilation"), 1)
        self.pads = four_pads(op, attributes.get("padding"))
        span = [d * (k - 1) + 1 for k, d in zip(kernel, self.dilation)]
        t, l, b, r = self.pads
        self.out = ((shape[2] + t + b - span[0]) // self.stride[0] + 1, (shape[3] + l + r - span[1]) // self.stride[1] + 1)
        if min(self.out) < 1:
            raise ValueError("%s: a %s kernel does not fit input %s padded by %s" % (op, kernel, shape, self.pads))
        self.span = span

    def pad(self, x, value=0):
        t, l, b, r = self.pads
        return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)

    def view(self, xp):
        (sH, sW), (dH, dW), (OH, OW) = self.stride, self.dilation, self.out
        v = np.lib.stride_tricks.sliding_window_view(xp, self.span, axis=(2, 3))
        return v[:, :, ::sH, ::sW, ::dH, ::dW][:, :, :OH, :OW]

    def add_back(self, dwin):
        """dwin (N, C, OH, OW, kH, kW) → dx (N, C, H, W): one strided slice-add per kernel element."""
        N, C, H, W = self.shape
        t, l, b, r = self.pads
        (sH, sW), (dH, dW), (OH, OW) = self.stride, self.dilation, self.out
        dxp = np.zeros((N, C, H + t + b, W + l + r), dtype=dwin.dtype)
        for kh in range(self.kernel[0]):
            for kw in range(self.kernel[1]):
                dxp[:, :, kh * dH:kh * dH + sH * (OH - 1) + 1:sH, kw * dW:kw * dW + sW * (OW - 1) + 1:sW] += dwin[..., kh, kw]
        return dxp[:, :, t:t + H, l:l + W]


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


def conv2d(attributes, inputs, params):
    """y = b + Σ W·windows(xp) per group (conv2d F1, no kernel flip); dx adds Wᵀ·dy back per window (B1)."""
    x, W = inputs["x"], params["W"]
    b = params["b"] if attributes.get("bias", True) else None
    G = attributes.get("groups", 1)
    O, Cg, kH, kW = W.shape
    N, C = x.shape[:2]
    if C != Cg * G or O % G:
        raise ValueError("conv2d: x %s and W %s do not fit groups %d" % (x.shape, W.shape, G))
    win = Windows("conv2d", x.shape, (kH, kW), attributes)
    OH, OW = win.out
    cols = win.view(win.pad(x)).reshape(N, G, Cg, OH, OW, kH, kW)
    Wg = W.reshape(G, O // G, Cg, kH, kW)
    y = np.einsum("ngchwij,gocij->ngohw", cols, Wg, optimize=True).reshape(N, O, OH, OW)
    if b is not None:
        y = y + b.reshape(O, 1, 1)

    def backward(seeds):
        dy = seeds["y"].reshape(N, G, O // G, OH, OW)
        dW = np.einsum("ngohw,ngchwij->gocij", dy, cols, optimize=True).reshape(W.shape)  # B2
        dcols = np.einsum("ngohw,gocij->ngchwij", dy, Wg, optimize=True).reshape(N, C, OH, OW, kH, kW)
        grads = {"x": win.add_back(dcols), "W": dW}  # B1
        if b is not None:
            grads["b"] = seeds["y"].sum(axis=(0, 2, 3))  # B3
        return grads
    return {"y": y}, backward


def pool_windows(op, x, attributes, pad_value):
    """Windows (N, C, OH, OW, kH, kW) of x padded with `pad_value`; pads at most half the kernel."""
    kernel = int_pair(op, "kernel_size", attributes.get("kernel_size"), 1)
    win = Windows(op, x.shape, kernel, dict(attributes, stride=attributes.get("stride", list(kernel)), dilation=1))
    t, l, b, r = win.pads
    if max(t, b) > kernel[0] // 2 or max(l, r) > kernel[1] // 2:
        raise ValueError("%s: padding %s exceeds half the kernel %s" % (op, attributes.get("padding"), kernel))
    return win, win.view(win.pad(x, pad_value))


def max_pool2d(attributes, inputs, params):
    """The window's maximum, −∞ padding; dy goes to the first maximum in row-major order (S1): argmax
    returns the first occurrence."""
    x = inputs["x"]
    win, view = pool_windows("max_pool2d", x, attributes, -np.inf)
    N, C, OH, OW, kH, kW = view.shape
    flat = view.reshape(N, C, OH, OW, kH * kW)
    first = flat.argmax(axis=-1)

    def backward(seeds):
        onehot = (np.arange(kH * kW) == first[..., None]).astype(x.dtype)  # one window element each
        return {"x": win.add_back((onehot * seeds["y"][..., None]).reshape(view.shape))}  # B1
    return {"y": flat.max(axis=-1)}, backward


def avg_pool2d(attributes, inputs, params):
    """Σ window / D; D = kH·kW with count_include_pad (F2), else the window's elements inside x."""
    x = inputs["x"]
    win, view = pool_windows("avg_pool2d", x, attributes, 0)
    kH, kW = view.shape[-2:]
    if attributes.get("count_include_pad", True):
        D = np.asarray(kH * kW, dtype=x.dtype)
    else:
        D = win.view(win.pad(np.ones((1, 1) + x.shape[2:], dtype=x.dtype))).sum(axis=(-2, -1))  # ones inside x

    def backward(seeds):
        share = seeds["y"] / D
        return {"x": win.add_back(np.broadcast_to(share[..., None, None], share.shape + (kH, kW)))}  # B1
    return {"y": view.sum(axis=(-2, -1)) / D}, backward


def flatten(attributes, inputs, params):
    """torch.flatten(x, start_dim=start_axis): a reshape, so the gradient is dy reshaped back (B1)."""
    x = inputs["x"]
    start = attributes.get("start_axis", 1)
    s = start + x.ndim if start < 0 else start
    if not 0 <= s < x.ndim:
        raise ValueError("flatten: start_axis %d is not an axis of x %s" % (start, x.shape))

    def backward(seeds):
        return {"x": seeds["y"].reshape(x.shape)}
    return {"y": x.reshape(x.shape[:s] + (-1,))}, backward


def normalize_backward(g, xhat, inv_std, axes):
    """dx of x̂ = (x − μ)/σ given g = dL/dx̂, statistics over `axes`: (g − mean g − x̂·mean(g·x̂))/σ."""
    return inv_std * (g - g.mean(axis=axes, keepdims=True) - xhat * (g * xhat).mean(axis=axes, keepdims=True))


def batch_norm(attributes, inputs, params):
    """Per channel (axis 1): batch statistics in training (F1–F3: biased variance normalizes, the
    running variance gets the unbiased one), running statistics in evaluation (F4)."""
    x, rm, rv = inputs["x"], inputs["running_mean"], inputs["running_var"]
    gamma, beta = params["gamma"], params["beta"]
    training, momentum, eps = attributes.get("training", True), attributes.get("momentum", 0.1), attributes.get("eps", 1e-5)
    if x.ndim not in (2, 4):
        raise ValueError("batch_norm: expected an (N, C) or (N, C, H, W) input, got %s" % (x.shape,))
    axes = (0,) + tuple(range(2, x.ndim))
    n = x.size // x.shape[1]
    per_channel = (1, -1) + (1,) * (x.ndim - 2)
    if training:
        if n < 2:
            raise ValueError("batch_norm: training needs more than one value per channel, got x %s (PyTorch raises too)" % (x.shape,))
        mean, var = x.mean(axis=axes), x.var(axis=axes)  # var divides by n: biased
        rm_out = (1 - momentum) * rm + momentum * mean
        rv_out = (1 - momentum) * rv + momentum * var * (n / (n - 1))  # unbiased (F3)
    else:
        mean, var, rm_out, rv_out = rm, rv, rm, rv
    inv_std = (1 / np.sqrt(var + eps)).astype(x.dtype).reshape(per_channel)
    xhat = (x - mean.reshape(per_channel)) * inv_std
    g = gamma.reshape(per_channel)

    def backward(seeds):
        dy = seeds["y"]
        dx = normalize_backward(dy * g, xhat, inv_std, axes) if training else dy * g * inv_std  # B1 / B3
        return {"x": dx, "gamma": (dy * xhat).sum(axis=axes), "beta": dy.sum(axis=axes)}  # B2
    outputs = {"y": xhat * g + beta.reshape(per_channel), "running_mean_out": rm_out.astype(x.dtype), "running_var_out": rv_out.astype(x.dtype)}
    return outputs, backward


def layer_norm(attributes, inputs, params):
    """Normalized over the last len(normalized_shape) axes, per leading index (F1–F2)."""
    x, gamma, beta = inputs["x"], params["gamma"], params["beta"]
    shape, eps = tuple(attributes.get("normalized_shape") or ()), attributes.get("eps", 1e-5)
    if not shape or x.shape[x.ndim - len(shape):] != shape or gamma.shape != shape:
        raise ValueError("layer_norm: normalized_shape %s must be the last axes of x %s and gamma's shape" % (shape, x.shape))
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    leading = tuple(range(x.ndim - len(shape)))
    inv_std = (1 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)).astype(x.dtype)
    xhat = (x - x.mean(axis=axes, keepdims=True)) * inv_std

    def backward(seeds):
        dy = seeds["y"]
        return {"x": normalize_backward(dy * gamma, xhat, inv_std, axes), "gamma": (dy * xhat).sum(axis=leading), "beta": dy.sum(axis=leading)}
    return {"y": xhat * gamma + beta}, backward


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


def sgd_step(p, g, buf, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD on one array: (new p, new buffer or None); buf None is the first step (sgd_momentum F2).
    Python float hyperparameters meet float32 arrays as float32 (NumPy 2's weak scalars), as sgd F3 says."""
    d = g + weight_decay * p if weight_decay else g  # F1: coupled decay enters the buffer
    if not momentum:
        return p - lr * d, None
    buf = d if buf is None else momentum * buf + (1 - dampening) * d  # F2: starts as d itself; F3
    return p - lr * (d + momentum * buf if nesterov else buf), buf  # F4


def adam_step(p, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    """torch.optim.Adam (decoupled: AdamW) on one array at step t ≥ 1: (new p, new m, new v)."""
    b1, b2 = betas
    if decoupled:
        p = p * p.dtype.type(1 - lr * weight_decay)  # adamw F1: decay the param, not the gradient
    elif weight_decay:
        g = g + weight_decay * p  # adam F1: coupled L2
    m = b1 * m + (1 - b1) * g  # F2
    v = b2 * v + (1 - b2) * g * g
    step_size, correction2_sqrt = p.dtype.type(lr / (1 - b1 ** t)), p.dtype.type((1 - b2 ** t) ** 0.5)  # F3, F4
    return p - step_size * (m / (np.sqrt(v) / correction2_sqrt + eps)), m, v


def sgd_options(config):
    if config.get("nesterov", False) and config.get("dampening", 0):
        raise Refusal("sgd: nesterov needs dampening 0 (as PyTorch)")
    return {k: config.get(k, d) for k, d in (("momentum", 0), ("dampening", 0), ("nesterov", False), ("weight_decay", 0))}


def adam_options(config, decoupled):
    return {"betas": tuple(config.get("betas", (0.9, 0.999))), "eps": config.get("eps", 1e-8),
            "weight_decay": config.get("weight_decay", 0.01 if decoupled else 0.0), "decoupled": decoupled}


def sgd(attributes, inputs, params):
    """param − lr·(grad + weight_decay·param) (sgd F1, F4); no backward: an update is not differentiated."""
    lr = attributes.get("lr")
    if not isinstance(lr, (int, float)) or isinstance(lr, bool):
        raise Refusal("sgd: attribute lr must be a number, got %r" % (lr,))
    same_shape("sgd", inputs["param"], inputs["grad"], ("param", "grad"))
    return {"param_next": sgd_step(inputs["param"], inputs["grad"], None, lr, weight_decay=attributes.get("weight_decay", 0))[0]}, None


def sgd_momentum(attributes, inputs, params):
    p, buf = sgd_step(inputs["param"], inputs["grad"], inputs.get("momentum_buffer"), attributes["lr"], **sgd_options(attributes))
    return {"param_next": p, "momentum_buffer_next": buf}, None


def adam_op(decoupled):
    def op(attributes, inputs, params):
        p, m, v = adam_step(inputs["param"], inputs["grad"], inputs["exp_avg"], inputs["exp_avg_sq"], attributes["step"],
                            attributes["lr"], **adam_options(attributes, decoupled))
        return {"param_next": p, "exp_avg_next": m, "exp_avg_sq_next": v}, None
    return op


LOSSES = {"cross_entropy": (cross_entropy, "logits"), "mse": (mse, "prediction"), "mse_softmax": (mse_softmax, "logits")}


# The mlp's hidden activations by op name (mlp F5): a new one is one line.
HIDDEN = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "leaky_relu": leaky_relu}


def mlp(attributes, inputs, params):
    """Linear → ReLU → … → Linear, then a loss on the logits: the ops above, composed (mlp F1–F4, B1)."""
    sizes, loss_name = attributes.get("sizes"), attributes.get("loss", "cross_entropy")
    if loss_name not in LOSSES:
        raise Refusal("mlp: loss %r is not supported (%s)" % (loss_name, ", ".join(LOSSES)))
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise Refusal("mlp: attribute sizes must list at least two layer widths, got %r" % (sizes,))
    activation = HIDDEN.get(attributes.get("activation", "relu"))
    if activation is None:
        raise Refusal("mlp: activation %r is not supported (%s)" % (attributes.get("activation"), ", ".join(HIDDEN)))
    layers = len(sizes) - 1
    h, tape = inputs["x"], []  # tape: (layer index or None for a ReLU, its backward), in forward order
    for i in range(layers):
        W, b = params["W%d" % i], params["b%d" % i]
        if W.shape != (sizes[i], sizes[i + 1]):
            raise ValueError("mlp: W%d has shape %s, sizes say %s" % (i, W.shape, tuple(sizes[i:i + 2])))
        out, back = linear({}, {"x": h}, {"W": W, "b": b})
        tape.append((i, back))
        h = out["y"]
        if i < layers - 1:  # no activation after the last layer
            out, back = activation({}, {"x": h}, {})
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


def cnn(attributes, inputs, params):
    """(conv2d → ReLU → max_pool2d) × 2 → flatten → Linear → cross-entropy: the ops above, composed (cnn F1–F2, B1)."""
    padding, pool = attributes.get("padding", [0, 0]), attributes.get("pool", 2)
    h, tape = inputs["x"], []  # tape: (param index or None, backward), in forward order
    for i in (0, 1):
        steps = [
            (i, conv2d, {"padding": [padding[i], padding[i]]}, {"W": params["W%d" % i], "b": params["b%d" % i]}),
            (None, relu, {}, {}),
            (None, max_pool2d, {"kernel_size": [pool, pool], "stride": [pool, pool]}, {}),
        ]
        for index, op, attrs, ps in steps:
            out, back = op(attrs, {"x": h}, ps)
            tape.append((index, back))
            h = out["y"]
    out, back = flatten({"start_axis": 1}, {"x": h}, {})
    tape.append((None, back))
    out, back = linear({}, {"x": out["y"]}, {"W": params["W2"], "b": params["b2"]})
    tape.append((2, back))
    logits = out["y"]
    loss_out, loss_back = cross_entropy(attributes, {"logits": logits, "target": inputs["target"]}, {})

    def backward(seeds):
        g = loss_back({"loss": seeds["loss"]})["logits"] + seeds["logits"]
        grads = {}
        for i, back in reversed(tape):
            step = back({"y": g})
            g = step["x"]
            if i is not None:
                grads["W%d" % i], grads["b%d" % i] = step["W"], step["b"]
        grads["x"] = g
        return grads
    return {"logits": logits, "loss": loss_out["loss"]}, backward


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
    "cross_entropy_index": cross_entropy_index,
    "nll": nll,
    "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
    "sgd": sgd,
    "sgd_momentum": sgd_momentum,
    "adam": adam_op(False),
    "adamw": adam_op(True),
    "mlp": mlp,
    "conv2d": conv2d,
    "max_pool2d": max_pool2d,
    "avg_pool2d": avg_pool2d,
    "flatten": flatten,
    "batch_norm": batch_norm,
    "layer_norm": layer_norm,
    "cnn": cnn,
}


# --- Optimizers: make(config, params) -> an object with step(params, grads) and state() ---------------

class Sgd:
    """SGD with momentum, dampening, nesterov and weight decay (linear U1, U4; mlp U1, U3)."""

    def __init__(self, config, params):
        self.lr, self.options, self.buffers = config["lr"], sgd_options(config), {}

    def step(self, params, grads):
        out = {}
        for k, p in params.items():
            out[k], self.buffers[k] = sgd_step(p, grads[k], self.buffers.get(k), self.lr, **self.options)
        return out

    def state(self):
        return {"momentum_buffer": dict(self.buffers)} if self.options["momentum"] else {}


class Adam:
    """Adam or AdamW (the config's type): moments from zero, t counting steps from 1."""

    def __init__(self, config, params):
        self.lr, self.options, self.t = config["lr"], adam_options(config, config["type"] == "adamw"), 0
        self.moments = {k: (np.zeros_like(p), np.zeros_like(p)) for k, p in params.items()}

    def step(self, params, grads):
        self.t += 1
        out = {}
        for k, p in params.items():
            out[k], m, v = adam_step(p, grads[k], *self.moments[k], self.t, self.lr, **self.options)
            self.moments[k] = (m, v)
        return out

    def state(self):
        return {"exp_avg": {k: m for k, (m, _) in self.moments.items()}, "exp_avg_sq": {k: v for k, (_, v) in self.moments.items()}}


OPTIMIZERS = {"sgd": Sgd, "adam": Adam, "adamw": Adam}


if __name__ == "__main__":
    sys.exit(serve(OPS, name=NAME, arrays="numpy", optimizers=OPTIMIZERS))
