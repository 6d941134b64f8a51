#!/usr/bin/env python3
"""A gradspec implementation in plain Python: the standard library only, tensors as flat lists.

It speaks the subprocess protocol of spec/protocol.md through gradspec_protocol.py (beside this file,
also standard library only): the handshake, the tensors and the SGD trajectory live there, the ops
here. Run the suite against it with

    npx gradspec run --exec "python3 examples/python/impl.py"

Each op is a function returning its forward outputs and a `backward(seeds)` closure beside it
(micrograd style), so forward and backward read side by side. Float32 cases are computed in Python
floats (double precision); the float32 tolerances allow it.
"""
import math
import sys

from gradspec_protocol import Refusal, Tensor, numel, serve

NAME = "python-stdlib example 1.0"


def fmt(shape):
    return "(" + "×".join(str(d) for d in shape) + ")"


def same_shape(op, a, b, names):
    if a.shape != b.shape:
        raise ValueError("%s: %s %s and %s %s must have the same shape" % (op, names[0], fmt(a.shape), names[1], fmt(b.shape)))


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


def sigmoid_layer(x):
    """σ(x), stable at |x| = 1e3; backward dy·y·(1 − y)."""
    y = Tensor(x.shape, [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v)) for v in x.data])

    def backward(dy):
        return [g * s * (1.0 - s) for s, g in zip(y.data, dy)]
    return y, backward


def tanh_layer(x):
    y = Tensor(x.shape, [math.tanh(v) for v in x.data])

    def backward(dy):
        return [g * (1.0 - t * t) for t, g in zip(y.data, dy)]
    return y, backward


def leaky_relu_layer(x, alpha=0.01):
    y = Tensor(x.shape, [v if v > 0 else alpha * v for v in x.data])

    def backward(dy):
        return [g if v > 0 else alpha * g for v, g in zip(x.data, dy)]  # the slope at 0 is alpha
    return y, backward


# The mlp's hidden activations (mlp F5): a new one is one line.
HIDDEN = {"relu": relu_layer, "sigmoid": sigmoid_layer, "tanh": tanh_layer, "leaky_relu": leaky_relu_layer}


def linear_layer(x, W, b):
    """y = x·W + b with W of shape (in, out), or y = x·W when b is None (bias: false); leading axes
    of x are the batch. backward returns db None without a bias."""
    b_shape = b.shape if b is not None else [W.shape[-1]] if W.shape else []
    if len(W.shape) != 2 or len(b_shape) != 1 or not x.shape or x.shape[-1] != W.shape[0] or b_shape[0] != W.shape[1]:
        raise ValueError("linear: x %s, W %s and b %s do not fit y = x·W + b with W (in, out)"
                         % (fmt(x.shape), fmt(W.shape), fmt(b_shape)))
    fan_in, fan_out = W.shape
    rows = numel(x.shape[:-1])
    y = mm(x.data, rows, fan_in, W.data, fan_out)
    if b is not None:
        for r in range(rows):
            for j in range(fan_out):
                y[r * fan_out + j] += b.data[j]

    def backward(dy):
        dx = mm(dy, rows, fan_out, transpose(W.data, fan_in, fan_out), fan_in)   # dx = dy·Wᵀ
        dW = mm(transpose(x.data, rows, fan_in), fan_in, rows, dy, fan_out)       # dW = xᵀ·dy
        db = [sum(dy[r * fan_out + j] for r in range(rows)) for j in range(fan_out)] if b is not None else None  # Σ_batch dy
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


def class_rows(op, scores, target, ignore_index):
    """Each row's class, or None for a row whose target is ignore_index (cross_entropy_index F3)."""
    if len(scores.shape) != 2 or target.shape != scores.shape[:1]:
        raise ValueError("%s: target %s must hold one class index per row of %s" % (op, fmt(target.shape), fmt(scores.shape)))
    classes = scores.shape[1]
    picked = []
    for b, t in enumerate(target.data):
        if t == ignore_index:
            picked.append(None)
        elif 0 <= t < classes:
            picked.append(t)
        else:
            raise ValueError("%s: target[%d] = %d is not a class in [0, %d) nor ignore_index %d" % (op, b, t, classes, ignore_index))
    return picked


def class_index_divisor(picked, reduction):
    """K, the rows kept, for mean (0 when every row is ignored); 1 for sum."""
    if reduction not in ("mean", "sum"):
        raise Refusal("reduction %r is not supported (mean or sum)" % (reduction,))
    return sum(1 for c in picked if c is not None) if reduction == "mean" else 1


def nll_loss(log_probs, target, attributes):
    """−Σ_kept log_probs[b, t_b], ÷ K kept rows for mean (0/0 = NaN, nll S3); d = −g/K at each picked class."""
    picked = class_rows("nll", log_probs, target, attributes.get("ignore_index", -100))
    width = log_probs.shape[1]
    divisor = class_index_divisor(picked, attributes.get("reduction", "mean"))
    total = -sum(log_probs.data[b * width + c] for b, c in enumerate(picked) if c is not None)
    loss = total / divisor if divisor else math.nan

    def backward(g):
        grad = [0.0] * len(log_probs.data)
        for b, c in enumerate(picked):
            if c is not None:  # ignored rows keep their 0 (B1, B2)
                grad[b * width + c] = -g / divisor
        return grad
    return loss, backward


def cross_entropy_index_loss(logits, target, attributes):
    """nll(log_softmax(logits), t); d logits = (softmax − one_hot(t)) · g / K on kept rows, 0 on ignored rows."""
    lsm = Tensor(logits.shape, log_softmax_data(logits.data, logits.shape))
    loss, _ = nll_loss(lsm, target, attributes)
    picked = class_rows("cross_entropy_index", logits, target, attributes.get("ignore_index", -100))
    divisor = class_index_divisor(picked, attributes.get("reduction", "mean"))
    width = logits.shape[1]

    def backward(g):
        s = softmax_data(logits.data, logits.shape)
        grad = [0.0] * len(s)
        for b, c in enumerate(picked):
            if c is not None:
                for j in range(width):
                    grad[b * width + j] = (s[b * width + j] - (1.0 if j == c else 0.0)) * g / divisor
        return grad
    return loss, backward


def bce_with_logits_loss(logits, target, pos_weight, reduction):
    """Σ (1 − t)·z + lw·(log(1 + e^−|z|) + max(−z, 0)), lw = 1 + (p − 1)·t; ÷ N (every element) for mean.
    Without pos_weight this is max(z, 0) − z·t + log(1 + e^−|z|): nothing overflows at |z| = 1e3."""
    same_shape("binary_cross_entropy_with_logits", logits, target, ("logits", "target"))
    if reduction not in ("mean", "sum"):
        raise Refusal("binary_cross_entropy_with_logits: reduction %r is not supported (mean or sum)" % (reduction,))
    classes = logits.shape[-1] if logits.shape else 1
    if pos_weight is not None and pos_weight.shape != [classes]:
        raise ValueError("binary_cross_entropy_with_logits: pos_weight %s must have shape (%d), the last axis of logits %s"
                         % (fmt(pos_weight.shape), classes, fmt(logits.shape)))
    weights = [pos_weight.data[i % classes] if pos_weight is not None else 1.0 for i in range(len(logits.data))]
    n = len(logits.data) if reduction == "mean" else 1
    total = 0.0
    for z, t, p in zip(logits.data, target.data, weights):
        total += (1 - t) * z + (1 + (p - 1) * t) * (math.log1p(math.exp(-abs(z))) + max(-z, 0.0))

    def backward(g):
        out = []
        for z, t, p in zip(logits.data, target.data, weights):
            s = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            out.append(((1 + (p - 1) * t) * s - p * t) * g / n)  # σ(z) − t without pos_weight
        return out
    return total / n, backward


def loss_by_name(name, reduction):
    if name == "mse":
        return mse_loss
    if name == "mse_softmax":
        return mse_softmax_loss
    if name == "cross_entropy":
        return lambda logits, t: cross_entropy_loss(logits, t, reduction)
    raise Refusal("mlp: loss %r is not supported (cross_entropy, mse or mse_softmax)" % (name,))


# --- Windows over the spatial axes of NCHW tensors (conv2d, max_pool2d, avg_pool2d) -----------------

def int_pair(op, name, value, default):
    """n → (n, n); [a, b] → (a, b)."""
    if value is None:
        return (default, default)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value, value]
    if not isinstance(value, list) or len(value) != 2 or any(int(v) != v or v < 1 for v in value):
        raise Refusal("%s: %s must be a positive integer or two, got %r" % (op, name, value))
    return (int(value[0]), int(value[1]))


def four_pads(op, padding):
    """padding → (top, left, bottom, right): [pH, pW] is symmetric (PyTorch), four numbers are ONNX's order."""
    if padding is None:
        return (0, 0, 0, 0)
    if isinstance(padding, (int, float)) and not isinstance(padding, bool):
        padding = [padding, padding]
    if not isinstance(padding, list) or len(padding) not in (2, 4) or any(int(v) != v or v < 0 for v in padding):
        raise Refusal("%s: padding must be [pH, pW] or [top, left, bottom, right], got %r" % (op, padding))
    p = [int(v) for v in padding]
    return tuple(p) if len(p) == 4 else (p[0], p[1], p[0], p[1])


def window_geometry(op, x, kernel, attributes):
    """(N, C, H, W, OH, OW, stride, dilation, pads) for windows of `kernel` over NCHW x (conv2d F2)."""
    if len(x.shape) != 4:
        raise ValueError("%s: expected an N×C×H×W input, got %s" % (op, fmt(x.shape)))
    N, C, H, W = x.shape
    stride = int_pair(op, "stride", attributes.get("stride"), 1)
    dilation = int_pair(op, "dilation", attributes.get("dilation"), 1)
    pads = four_pads(op, attributes.get("padding"))
    OH = (H + pads[0] + pads[2] - dilation[0] * (kernel[0] - 1) - 1) // stride[0] + 1
    OW = (W + pads[1] + pads[3] - dilation[1] * (kernel[1] - 1) - 1) // stride[1] + 1
    if OH < 1 or OW < 1:
        raise ValueError("%s: a %d×%d kernel does not fit input %s padded by %s" % (op, kernel[0], kernel[1], fmt(x.shape), list(pads)))
    return N, C, H, W, OH, OW, stride, dilation, pads


def conv2d_layer(x, W, b, attributes):
    """y[n,o,i,j] = b[o] + Σ W[o,c',kh,kw]·xp[n, g·C/G + c', i·sH + kh·dH, j·sW + kw·dW] (no kernel flip),
    computed by im2col: every window is a column, so each group's convolution is one matrix product."""
    groups = attributes.get("groups", 1)
    if len(W.shape) != 4:
        raise ValueError("conv2d: expected a 4-D weight (O×C/G×kH×kW), got %s" % fmt(W.shape))
    O, Cg, kH, kW = W.shape
    N, C, H, Wd, OH, OW, (sH, sW), (dH, dW), (top, left, _, _) = window_geometry("conv2d", x, (kH, kW), attributes)
    if C != Cg * groups or O % groups:
        raise ValueError("conv2d: x %s and W %s do not fit groups %d" % (fmt(x.shape), fmt(W.shape), groups))
    Og, K, L = O // groups, Cg * kH * kW, OH * OW
    # index[r·N·L + n·L + l]: the x element that row r = (c, kh, kw) of window l of image n reads, or −1 (padding)
    index = []
    for c in range(C):
        for kh in range(kH):
            for kw in range(kW):
                for n in range(N):
                    for i in range(OH):
                        h = i * sH + kh * dH - top
                        for j in range(OW):
                            w = j * sW + kw * dW - left
                            index.append(((n * C + c) * H + h) * Wd + w if 0 <= h < H and 0 <= w < Wd else -1)
    cols = [x.data[k] if k >= 0 else 0.0 for k in index]
    NL = N * L
    col_block = lambda g: cols[g * K * NL:(g + 1) * K * NL]       # group g's K rows
    w_block = lambda g: W.data[g * Og * K:(g + 1) * Og * K]       # group g's Og filters, each K long
    products = [v for g in range(groups) for v in mm(w_block(g), Og, K, col_block(g), NL)]  # row o, column n·L + l
    y = [products[o * NL + n * L + l] + (b.data[o] if b is not None else 0.0)
         for n in range(N) for o in range(O) for l in range(L)]

    def backward(dy):
        dy_rows = [dy[(n * O + o) * L + l] for o in range(O) for n in range(N) for l in range(L)]  # O × (N·L)
        dW, dcols = [], []
        for g in range(groups):
            dy_g = dy_rows[g * Og * NL:(g + 1) * Og * NL]
            dW += mm(dy_g, Og, NL, transpose(col_block(g), K, NL), K)         # B2: dy·colsᵀ
            dcols += mm(transpose(w_block(g), Og, K), K, Og, dy_g, NL)        # Wᵀ·dy, one column per window
        dx = [0.0] * len(x.data)
        for k, v in zip(index, dcols):
            if k >= 0:
                dx[k] += v  # B1: col2im, each window element back where it was read
        db = [sum(dy_rows[o * NL:(o + 1) * NL]) for o in range(O)]            # B3
        return dx, dW, db
    return Tensor([N, O, OH, OW], y), backward


def pool_windows(op, x, attributes):
    """(output shape, windows): for each output in row-major order, the flat x indices of its window that
    lie inside x (row-major window order) and its kernel area. Pads are at most half the kernel."""
    kernel = int_pair(op, "kernel_size", attributes.get("kernel_size"), 1)
    attributes = dict(attributes, stride=attributes.get("stride", list(kernel)), dilation=1)
    N, C, H, W, OH, OW, (sH, sW), _, (top, left, bottom, right) = window_geometry(op, x, kernel, attributes)
    if max(top, bottom) > kernel[0] // 2 or max(left, right) > kernel[1] // 2:
        raise ValueError("%s: padding %s exceeds half the kernel %s" % (op, attributes.get("padding"), kernel))
    windows = []
    for plane in range(N * C):
        for i in range(OH):
            for j in range(OW):
                rows = [h for h in range(i * sH - top, i * sH - top + kernel[0]) if 0 <= h < H]
                cols = [w for w in range(j * sW - left, j * sW - left + kernel[1]) if 0 <= w < W]
                windows.append([(plane * H + h) * W + w for h in rows for w in cols])
    return [N, C, OH, OW], windows, kernel[0] * kernel[1]


# --- Ops: (attributes, inputs, params) → (outputs, backward(seeds) → {input or param: gradient}) ---
# gradspec_protocol gives every forward output a seed (zeros where the request has none).

def need(tensors, name, what):
    if name not in tensors:
        raise ValueError("missing %s %r" % (what, name))
    return tensors[name]


def op_matmul(attributes, inputs, params):
    a, b = need(inputs, "a", "input"), need(inputs, "b", "input")
    if len(a.shape) != 2 or len(b.shape) != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("matmul: cannot multiply %s by %s" % (fmt(a.shape), fmt(b.shape)))
    (m, k), n = a.shape, b.shape[1]
    y = Tensor([m, n], mm(a.data, m, k, b.data, n))

    def backward(seeds):
        dy = seeds["y"].data
        da = mm(dy, m, n, transpose(b.data, k, n), k)   # da = dy·bᵀ
        db = mm(transpose(a.data, m, k), k, m, dy, n)   # db = aᵀ·dy
        return {"a": Tensor(a.shape, da), "b": Tensor(b.shape, db)}
    return {"y": y}, backward


def op_linear(attributes, inputs, params):
    bias = attributes.get("bias", True)  # false: no b param, no db (linear f2, b4)
    x, W = need(inputs, "x", "input"), need(params, "W", "param")
    b = need(params, "b", "param") if bias else None
    y, back = linear_layer(x, W, b)

    def backward(seeds):
        dx, dW, db = back(seeds["y"].data)
        grads = {"x": Tensor(x.shape, dx), "W": Tensor(W.shape, dW)}
        if b is not None:
            grads["b"] = Tensor(b.shape, db)
        return grads
    return {"y": y}, backward


def op_conv2d(attributes, inputs, params):
    x, W = need(inputs, "x", "input"), need(params, "W", "param")
    b = need(params, "b", "param") if attributes.get("bias", True) else None
    y, back = conv2d_layer(x, W, b, attributes)

    def backward(seeds):
        dx, dW, db = back(seeds["y"].data)
        grads = {"x": Tensor(x.shape, dx), "W": Tensor(W.shape, dW)}
        if b is not None:
            grads["b"] = Tensor(b.shape, db)
        return grads
    return {"y": y}, backward


def max_pool_layer(x, attributes):
    """The window's maximum (padding is −∞: it never wins); dy goes to the FIRST maximum (s1)."""
    shape, windows, _ = pool_windows("max_pool2d", x, attributes)
    firsts = [max(window, key=lambda i: x.data[i]) for window in windows]  # max() keeps the first of equal maxima

    def backward(dy):
        dx = [0.0] * len(x.data)
        for at, d in zip(firsts, dy):
            dx[at] += d  # overlapping windows add up (b1)
        return dx
    return Tensor(shape, [x.data[i] for i in firsts]), backward


def op_max_pool2d(attributes, inputs, params):
    x = need(inputs, "x", "input")
    y, back = max_pool_layer(x, attributes)

    def backward(seeds):
        return {"x": Tensor(x.shape, back(seeds["y"].data))}
    return {"y": y}, backward


def op_avg_pool2d(attributes, inputs, params):
    """Σ window / D: D = kH·kW with count_include_pad (padding counts as zeros), else the elements inside x."""
    x = need(inputs, "x", "input")
    shape, windows, area = pool_windows("avg_pool2d", x, attributes)
    divisors = [area if attributes.get("count_include_pad", True) else len(w) for w in windows]

    def backward(seeds):
        dx = [0.0] * len(x.data)
        for window, d, D in zip(windows, seeds["y"].data, divisors):
            for i in window:
                dx[i] += d / D
        return {"x": Tensor(x.shape, dx)}
    return {"y": Tensor(shape, [sum(x.data[i] for i in w) / D for w, D in zip(windows, divisors)])}, backward


def op_flatten(attributes, inputs, params):
    """Axes start_axis … last merged into one; the data (row-major) is unchanged, so dx is dy reshaped."""
    x = need(inputs, "x", "input")
    start = attributes.get("start_axis", 1)
    s = start + len(x.shape) if start < 0 else start
    if not 0 <= s < len(x.shape):
        raise ValueError("flatten: start_axis %d is not an axis of x %s" % (start, fmt(x.shape)))

    def backward(seeds):
        return {"x": Tensor(x.shape, seeds["y"].data)}
    return {"y": Tensor(x.shape[:s] + [numel(x.shape[s:])], x.data)}, backward


def normalize(values, eps):
    """(x̂, 1/σ) of one group of values: mean and biased variance (divided by n)."""
    n = len(values)
    mean = sum(values) / n
    inv = 1.0 / math.sqrt(sum((v - mean) ** 2 for v in values) / n + eps)
    return [(v - mean) * inv for v in values], inv


def normalize_backward(g, xhat, inv):
    """dx of x̂ given g = dL/dx̂: (1/σ)(g − mean(g) − x̂·mean(g·x̂)), the paths through x, the mean, the variance."""
    n = len(g)
    mean_g = sum(g) / n
    mean_gx = sum(a * b for a, b in zip(g, xhat)) / n
    return [inv * (gi - mean_g - xi * mean_gx) for gi, xi in zip(g, xhat)]


def op_batch_norm(attributes, inputs, params):
    """Per channel (axis 1) of (N, C) or (N, C, H, W): batch statistics in training (biased variance to
    normalize, unbiased in the running variance), the running ones in evaluation."""
    x, rm, rv = need(inputs, "x", "input"), need(inputs, "running_mean", "input"), need(inputs, "running_var", "input")
    gamma, beta = need(params, "gamma", "param"), need(params, "beta", "param")
    training, momentum, eps = attributes.get("training", True), attributes.get("momentum", 0.1), attributes.get("eps", 1e-5)
    if len(x.shape) not in (2, 4):
        raise ValueError("batch_norm: expected an (N, C) or (N, C, H, W) input, got %s" % fmt(x.shape))
    N, C, inner = x.shape[0], x.shape[1], numel(x.shape[2:])
    index = [[(n * C + c) * inner + k for n in range(N) for k in range(inner)] for c in range(C)]  # each channel's elements
    if training and len(index[0]) < 2:
        raise ValueError("batch_norm: training needs more than one value per channel, got x %s (PyTorch raises too)" % fmt(x.shape))
    y, xhat, invs = [0.0] * len(x.data), [0.0] * len(x.data), []
    mean_out, var_out = list(rm.data), list(rv.data)
    for c, idx in enumerate(index):
        values = [x.data[i] for i in idx]
        if training:
            hat, inv = normalize(values, eps)
            n, mean = len(values), sum(values) / len(values)
            unbiased = sum((v - mean) ** 2 for v in values) / (n - 1)
            mean_out[c] = (1 - momentum) * rm.data[c] + momentum * mean
            var_out[c] = (1 - momentum) * rv.data[c] + momentum * unbiased
        else:
            inv = 1.0 / math.sqrt(rv.data[c] + eps)
            hat = [(v - rm.data[c]) * inv for v in values]
        invs.append(inv)
        for i, h in zip(idx, hat):
            xhat[i] = h
            y[i] = gamma.data[c] * h + beta.data[c]

    def backward(seeds):
        dy = seeds["y"].data
        dx, dgamma, dbeta = [0.0] * len(dy), [0.0] * C, [0.0] * C
        for c, idx in enumerate(index):
            dgamma[c] = sum(dy[i] * xhat[i] for i in idx)  # B2
            dbeta[c] = sum(dy[i] for i in idx)
            g = [dy[i] * gamma.data[c] for i in idx]
            if training:
                d = normalize_backward(g, [xhat[i] for i in idx], invs[c])  # B1: three terms
            else:
                d = [gi * invs[c] for gi in g]  # B3: the running statistics are constants
            for i, v in zip(idx, d):
                dx[i] = v
        return {"x": Tensor(x.shape, dx), "gamma": Tensor([C], dgamma), "beta": Tensor([C], dbeta)}
    outputs = {"y": Tensor(x.shape, y), "running_mean_out": Tensor([C], mean_out), "running_var_out": Tensor([C], var_out)}
    return outputs, backward


def op_layer_norm(attributes, inputs, params):
    """Each group (one index of the leading axes) normalized over the last len(normalized_shape) axes."""
    x, gamma, beta = need(inputs, "x", "input"), need(params, "gamma", "param"), need(params, "beta", "param")
    shape, eps = attributes.get("normalized_shape"), attributes.get("eps", 1e-5)
    if not isinstance(shape, list) or not shape or x.shape[len(x.shape) - len(shape):] != shape or gamma.shape != shape:
        raise ValueError("layer_norm: normalized_shape %r must be the last axes of x %s and gamma's shape %s" % (shape, fmt(x.shape), fmt(gamma.shape)))
    m = numel(shape)
    groups = [list(range(start, start + m)) for start in range(0, len(x.data), m)]
    y, xhat, invs = [0.0] * len(x.data), [0.0] * len(x.data), []
    for idx in groups:
        hat, inv = normalize([x.data[i] for i in idx], eps)
        invs.append(inv)
        for j, (i, h) in enumerate(zip(idx, hat)):
            xhat[i] = h
            y[i] = gamma.data[j] * h + beta.data[j]

    def backward(seeds):
        dy = seeds["y"].data
        dx, dgamma, dbeta = [0.0] * len(dy), [0.0] * m, [0.0] * m
        for idx, inv in zip(groups, invs):
            for j, i in enumerate(idx):
                dgamma[j] += dy[i] * xhat[i]  # B2: summed over the groups
                dbeta[j] += dy[i]
            d = normalize_backward([dy[i] * gamma.data[j] for j, i in enumerate(idx)], [xhat[i] for i in idx], inv)  # B1
            for i, v in zip(idx, d):
                dx[i] = v
        return {"x": Tensor(x.shape, dx), "gamma": Tensor(shape, dgamma), "beta": Tensor(shape, dbeta)}
    return {"y": Tensor(x.shape, y)}, backward


def op_relu(attributes, inputs, params):
    x = need(inputs, "x", "input")
    y, back = relu_layer(x)

    def backward(seeds):
        return {"x": Tensor(x.shape, back(seeds["y"].data))}
    return {"y": y}, backward


def op_sigmoid(attributes, inputs, params):
    x = need(inputs, "x", "input")
    # Stable: exp(-v) only for v >= 0, exp(v) only for v < 0, so neither overflows at |x| = 1e3.
    y = Tensor(x.shape, [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
                         for v in x.data])

    def backward(seeds):
        return {"x": Tensor(x.shape, [g * s * (1.0 - s) for s, g in zip(y.data, seeds["y"].data)])}
    return {"y": y}, backward


def op_tanh(attributes, inputs, params):
    x = need(inputs, "x", "input")
    y = Tensor(x.shape, [math.tanh(v) for v in x.data])  # math.tanh saturates to ±1: no ∞/∞ at ±1e3

    def backward(seeds):
        return {"x": Tensor(x.shape, [g * (1.0 - t * t) for t, g in zip(y.data, seeds["y"].data)])}  # from y
    return {"y": y}, backward


def op_leaky_relu(attributes, inputs, params):
    x = need(inputs, "x", "input")
    alpha = attributes.get("alpha", 0.01)  # PyTorch's default (tf.leakyRelu's is 0.2)
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool):
        raise Refusal("leaky_relu: attribute alpha must be a number, got %r" % (alpha,))
    y = Tensor(x.shape, [v if v > 0 else alpha * v for v in x.data])

    def backward(seeds):  # the slope at x = 0 is alpha, as PyTorch
        return {"x": Tensor(x.shape, [g if v > 0 else alpha * g for v, g in zip(x.data, seeds["y"].data)])}
    return {"y": y}, backward


GELU_BETA = math.sqrt(2.0 / math.pi)
GELU_KAPPA = 0.044715


def op_gelu(attributes, inputs, params):
    """'none': x·Φ(x) with Φ from math.erf; 'tanh': ½x(1 + tanh(β(x + κx³))). PyTorch's formulas."""
    x = need(inputs, "x", "input")
    approximate = attributes.get("approximate", "none")
    if approximate not in ("none", "tanh"):
        raise Refusal("gelu: approximate %r is not supported ('none' or 'tanh')" % (approximate,))

    def cdf(v):
        return 0.5 * (1.0 + math.erf(v / math.sqrt(2.0)))

    def inner(v):
        return math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v))

    if approximate == "none":
        y = [v * cdf(v) for v in x.data]
    else:
        y = [0.5 * v * (1.0 + inner(v)) for v in x.data]

    def slope(v):
        if approximate == "none":  # Φ(x) + x·φ(x)
            return cdf(v) + v * math.exp(-0.5 * v * v) / math.sqrt(2.0 * math.pi)
        t = inner(v)  # the derivative of the tanh form, not of the erf form
        return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * GELU_BETA * (1.0 + 3.0 * GELU_KAPPA * v * v)

    def backward(seeds):
        return {"x": Tensor(x.shape, [g * slope(v) for v, g in zip(x.data, seeds["y"].data)])}
    return {"y": Tensor(x.shape, y)}, backward


def op_log_softmax(attributes, inputs, params):
    x = need(inputs, "x", "input")
    axis = attributes.get("axis", -1)
    if axis not in (-1, len(x.shape) - 1) or isinstance(axis, bool):
        raise Refusal("log_softmax: only the last axis is supported, got axis %r" % (axis,))
    y = Tensor(x.shape, log_softmax_data(x.data, x.shape))

    def backward(seeds):  # dx = dy − softmax(x)·Σ dy per row, softmax(x) = exp(y)
        dy, dx = seeds["y"].data, [0.0] * len(x.data)
        for lane in lanes(x.shape, -1):
            total = sum(dy[i] for i in lane)
            for i in lane:
                dx[i] = dy[i] - math.exp(y.data[i]) * total
        return {"x": Tensor(x.shape, dx)}
    return {"y": y}, backward


def op_dropout(attributes, inputs, params):
    """Training: y = x·mask/(1 − p), the gradient through the same mask and scale; eval: the identity."""
    x, mask = need(inputs, "x", "input"), need(inputs, "mask", "input")
    same_shape("dropout", x, mask, ("x", "mask"))
    p, training = attributes.get("p", 0.5), attributes.get("training", True)
    if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p < 1:
        raise Refusal("dropout: attribute p must be a number in [0, 1), got %r" % (p,))
    scale = 1.0 / (1.0 - p)

    def through(values):
        return list(values) if training is False else [v * m * scale for v, m in zip(values, mask.data)]

    def backward(seeds):  # no gradient for the mask: it is not differentiable
        return {"x": Tensor(x.shape, through(seeds["y"].data))}
    return {"y": Tensor(x.shape, through(x.data))}, backward


def op_softmax(attributes, inputs, params):
    x = need(inputs, "x", "input")
    axis = attributes.get("axis", -1)
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise Refusal("softmax: attribute axis must be an integer, got %r" % (axis,))
    if not -len(x.shape) <= axis < len(x.shape):
        raise Refusal("softmax: axis %d is out of range for x of shape %s" % (axis, fmt(x.shape)))
    y = Tensor(x.shape, softmax_data(x.data, x.shape, axis))

    def backward(seeds):
        return {"x": Tensor(x.shape, softmax_backward_data(y.data, seeds["y"].data, x.shape, axis))}
    return {"y": y}, backward


def loss_op(name, input_name, loss_fn):
    def op(attributes, inputs, params):
        p, t = need(inputs, input_name, "input"), need(inputs, "target", "input")
        loss, back = loss_fn(p, t, attributes)

        def backward(seeds):
            return {input_name: Tensor(p.shape, back(seeds["loss"].data[0]))}
        return {"loss": loss}, backward
    op.__name__ = "op_" + name
    return op


op_mse = loss_op("mse", "prediction", lambda p, t, attrs: mse_loss(p, t))
op_mse_softmax = loss_op("mse_softmax", "logits", lambda p, t, attrs: mse_softmax_loss(p, t))
op_cross_entropy = loss_op("cross_entropy", "logits",
                           lambda p, t, attrs: cross_entropy_loss(p, t, attrs.get("reduction", "mean")))
op_cross_entropy_index = loss_op("cross_entropy_index", "logits", cross_entropy_index_loss)
op_nll = loss_op("nll", "log_probs", nll_loss)


def op_binary_cross_entropy_with_logits(attributes, inputs, params):
    z, t = need(inputs, "logits", "input"), need(inputs, "target", "input")
    loss, back = bce_with_logits_loss(z, t, inputs.get("pos_weight"), attributes.get("reduction", "mean"))

    def backward(seeds):
        return {"logits": Tensor(z.shape, back(seeds["loss"].data[0]))}  # target and pos_weight get none
    return {"loss": loss}, backward


def op_sgd(attributes, inputs, params):
    """param_next = param − lr·(grad + weight_decay·param) (one step of plain SGD, as an op of its own; no backward)."""
    p, g = need(inputs, "param", "input"), need(inputs, "grad", "input")
    same_shape("sgd", p, g, ("param", "grad"))
    lr = attributes.get("lr")
    if not isinstance(lr, (int, float)) or isinstance(lr, bool):
        raise Refusal("sgd: attribute lr must be a number, got %r" % (lr,))
    new_p, _ = sgd_values(p.data, g.data, None, lr, weight_decay=attributes.get("weight_decay", 0))
    return {"param_next": Tensor(p.shape, new_p)}, None


def op_mlp(attributes, inputs, params):
    """Linear → activation (ReLU unless `activation` says otherwise) → … → Linear, then the loss named by `loss`."""
    sizes = attributes.get("sizes")
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise Refusal("mlp: attribute sizes must list at least two layer widths, got %r" % (sizes,))
    loss_fn = loss_by_name(attributes.get("loss", "cross_entropy"), attributes.get("reduction", "mean"))
    activation = HIDDEN.get(attributes.get("activation", "relu"))
    if activation is None:
        raise Refusal("mlp: activation %r is not supported (%s)" % (attributes.get("activation"), ", ".join(HIDDEN)))
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
            h, act_back = activation(h)
            backs.append(("activation", layer, act_back))
    logits = h
    loss, loss_back = loss_fn(logits, target)

    def backward(seeds):
        g = loss_back(seeds["loss"].data[0])
        g = [a + b for a, b in zip(g, seeds["logits"].data)]
        grads = {}
        for kind, layer, back in reversed(backs):
            if kind == "activation":
                g = back(g)
            else:
                g, dW, db = back(g)
                grads["W%d" % layer] = Tensor(params["W%d" % layer].shape, dW)
                grads["b%d" % layer] = Tensor(params["b%d" % layer].shape, db)
        grads["x"] = Tensor(x.shape, g)
        return grads
    return {"logits": logits, "loss": loss}, backward


def op_cnn(attributes, inputs, params):
    """(conv2d → ReLU → max_pool2d) × 2 → flatten → Linear → cross-entropy: the layers above, composed."""
    padding, pool = attributes.get("padding", [0, 0]), attributes.get("pool", 2)
    x, target = need(inputs, "x", "input"), need(inputs, "target", "input")
    h, blocks = x, []
    for i in (0, 1):
        W, b = need(params, "W%d" % i, "param"), need(params, "b%d" % i, "param")
        h, conv_back = conv2d_layer(h, W, b, {"padding": [padding[i], padding[i]]})
        h, relu_back = relu_layer(h)
        h, pool_back = max_pool_layer(h, {"kernel_size": [pool, pool], "stride": [pool, pool]})
        blocks.append((i, conv_back, relu_back, pool_back))
    flat = Tensor([h.shape[0], numel(h.shape[1:])], h.data)  # flatten: same data, new shape
    logits, linear_back = linear_layer(flat, need(params, "W2", "param"), need(params, "b2", "param"))
    loss, loss_back = cross_entropy_loss(logits, target, attributes.get("reduction", "mean"))

    def backward(seeds):
        g = [a + b for a, b in zip(loss_back(seeds["loss"].data[0]), seeds["logits"].data)]
        g, dW, db = linear_back(g)
        grads = {"W2": Tensor(params["W2"].shape, dW), "b2": Tensor(params["b2"].shape, db)}
        for i, conv_back, relu_back, pool_back in reversed(blocks):
            g, dW, db = conv_back(relu_back(pool_back(g)))
            grads["W%d" % i], grads["b%d" % i] = Tensor(params["W%d" % i].shape, dW), Tensor(params["b%d" % i].shape, db)
        grads["x"] = Tensor(x.shape, g)
        return grads
    return {"logits": logits, "loss": loss}, backward


OPS = {
    "matmul": op_matmul,
    "linear": op_linear,
    "relu": op_relu,
    "sigmoid": op_sigmoid,
    "tanh": op_tanh,
    "leaky_relu": op_leaky_relu,
    "gelu": op_gelu,
    "log_softmax": op_log_softmax,
    "dropout": op_dropout,
    "softmax": op_softmax,
    "mse": op_mse,
    "mse_softmax": op_mse_softmax,
    "cross_entropy": op_cross_entropy,
    "cross_entropy_index": op_cross_entropy_index,
    "nll": op_nll,
    "binary_cross_entropy_with_logits": op_binary_cross_entropy_with_logits,
    "sgd": op_sgd,
    "mlp": op_mlp,
    "conv2d": op_conv2d,
    "max_pool2d": op_max_pool2d,
    "avg_pool2d": op_avg_pool2d,
    "flatten": op_flatten,
    "batch_norm": op_batch_norm,
    "layer_norm": op_layer_norm,
    "cnn": op_cnn,
}


# --- Optimizers: one param's step on flat lists, used by the single-step ops and the trajectories ---

def sgd_values(p, g, buf, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD on one param: (new p, new buffer or None). buf None: the first step (sgd_momentum F2)."""
    d = [gv + weight_decay * pv for pv, gv in zip(p, g)] if weight_decay else list(g)  # F1: coupled decay
    if not momentum:
        return [pv - lr * dv for pv, dv in zip(p, d)], None
    if buf is None:
        buf = d  # F2: the buffer starts as the first gradient itself, no dampening
    else:
        buf = [momentum * bv + (1 - dampening) * dv for bv, dv in zip(buf, d)]  # F3
    step = [dv + momentum * bv for dv, bv in zip(d, buf)] if nesterov else buf  # F4
    return [pv - lr * sv for pv, sv in zip(p, step)], buf


def adam_values(p, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    """torch.optim.Adam (decoupled: AdamW) on one param at step t ≥ 1: (new p, new m, new v)."""
    b1, b2 = betas
    if decoupled:
        p = [pv * (1 - lr * weight_decay) for pv in p]  # adamw F1: the moments never see the decay
    elif weight_decay:
        g = [gv + weight_decay * pv for pv, gv in zip(p, g)]  # adam F1: L2 into the gradient
    m = [b1 * mv + (1 - b1) * gv for mv, gv in zip(m, g)]  # adam F2
    v = [b2 * vv + (1 - b2) * gv * gv for vv, gv in zip(v, g)]
    step_size, correction2_sqrt = lr / (1 - b1 ** t), math.sqrt(1 - b2 ** t)  # F3: bias correction with t
    return [pv - step_size * mv / (math.sqrt(vv) / correction2_sqrt + eps) for pv, mv, vv in zip(p, m, v)], m, v


def sgd_options(config):
    nesterov = config.get("nesterov", False)
    if nesterov and config.get("dampening", 0):
        raise Refusal("sgd: nesterov needs dampening 0 (as PyTorch)")
    return {"momentum": config.get("momentum", 0), "dampening": config.get("dampening", 0),
            "nesterov": nesterov, "weight_decay": config.get("weight_decay", 0)}


def adam_options(config, decoupled):
    return {"betas": tuple(config.get("betas", (0.9, 0.999))), "eps": config.get("eps", 1e-8),
            "weight_decay": config.get("weight_decay", 0.01 if decoupled else 0.0), "decoupled": decoupled}


def op_sgd_momentum(attributes, inputs, params):
    p, g = need(inputs, "param", "input"), need(inputs, "grad", "input")
    buf = inputs.get("momentum_buffer")  # absent at the first step
    same_shape("sgd_momentum", p, g, ("param", "grad"))
    new_p, new_buf = sgd_values(p.data, g.data, buf.data if buf is not None else None, attributes["lr"], **sgd_options(attributes))
    return {"param_next": Tensor(p.shape, new_p), "momentum_buffer_next": Tensor(p.shape, new_buf)}, None


def adam_op(decoupled):
    def op(attributes, inputs, params):
        p, g = need(inputs, "param", "input"), need(inputs, "grad", "input")
        m, v = need(inputs, "exp_avg", "input"), need(inputs, "exp_avg_sq", "input")
        new_p, new_m, new_v = adam_values(p.data, g.data, m.data, v.data, attributes["step"], attributes["lr"],
                                          **adam_options(attributes, decoupled))
        return {"param_next": Tensor(p.shape, new_p), "exp_avg_next": Tensor(p.shape, new_m),
                "exp_avg_sq_next": Tensor(p.shape, new_v)}, None
    op.__name__ = "op_adamw" if decoupled else "op_adam"
    return op


OPS["sgd_momentum"] = op_sgd_momentum
OPS["adam"] = adam_op(False)
OPS["adamw"] = adam_op(True)


# --- Optimizers for trajectories: make(config, params) → an object with step(params, grads) and state() ---

class Sgd:
    """SGD with momentum, dampening, nesterov and weight decay; each param's buffer made at its first step."""

    def __init__(self, config, params):
        self.lr, self.options, self.buffers = config["lr"], sgd_options(config), {}

    def step(self, params, grads):
        out = {}
        for k, p in params.items():
            new_p, self.buffers[k] = sgd_values(p.data, grads[k].data, self.buffers.get(k), self.lr, **self.options)
            out[k] = Tensor(p.shape, new_p)
        self.shapes = {k: p.shape for k, p in params.items()}
        return out

    def state(self):  # no state without momentum
        if not self.options["momentum"]:
            return {}
        return {"momentum_buffer": {k: Tensor(self.shapes[k], b) for k, b in self.buffers.items()}}


class Adam:
    """Adam or AdamW (config type): both moments start at zero, t counts steps from 1."""

    def __init__(self, config, params):
        self.lr, self.options, self.t = config["lr"], adam_options(config, config["type"] == "adamw"), 0
        self.moments = {k: ([0.0] * len(p.data), [0.0] * len(p.data)) for k, p in params.items()}
        self.shapes = {k: p.shape for k, p in params.items()}

    def step(self, params, grads):
        self.t += 1
        out = {}
        for k, p in params.items():
            m, v = self.moments[k]
            new_p, m, v = adam_values(p.data, grads[k].data, m, v, self.t, self.lr, **self.options)
            self.moments[k] = (m, v)
            out[k] = Tensor(p.shape, new_p)
        return out

    def state(self):
        return {"exp_avg": {k: Tensor(self.shapes[k], m) for k, (m, _) in self.moments.items()},
                "exp_avg_sq": {k: Tensor(self.shapes[k], v) for k, (_, v) in self.moments.items()}}


OPTIMIZERS = {"sgd": Sgd, "adam": Adam, "adamw": Adam}


if __name__ == "__main__":
    sys.exit(serve(OPS, name=NAME, arrays="lists", optimizers=OPTIMIZERS))
