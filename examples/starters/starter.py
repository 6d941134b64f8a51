#!/usr/bin/env python3
"""A gradspec starter in Python: one op (relu) over the subprocess protocol, standard library only.

    npx gradspec run --exec "python3 examples/starters/starter.py" --op relu

Grow it one op at a time: write a function like `relu` below, add it to OPS (the handshake then
declares it) and run `--op <name>`; spec/ops/<name>.md has its tensor names and formulas. With NumPy,
pass arrays="numpy" to serve(): inputs arrive as read-only numpy arrays (see examples/numpy/impl.py).
"""
import os
import sys

# gradspec_protocol.py (the handshake, the tensors, the loop) lives in examples/python/.
# Copy it next to this file, or put its folder on PYTHONPATH, when you move this file elsewhere.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from gradspec_protocol import Tensor, serve  # noqa: E402


def relu(attributes, inputs, params):
    """spec/ops/relu.md: y = max(x, 0); dx = dy where x > 0, else 0 (ReLU'(0) = 0)."""
    x = inputs["x"]  # a Tensor: .shape, and .data flat in row-major order
    y = Tensor(x.shape, [v if v > 0 else 0.0 for v in x.data])

    def backward(seeds):  # seeds["y"]: the gradient flowing into y (grad_output)
        dy = seeds["y"].data
        return {"x": Tensor(x.shape, [g if v > 0 else 0.0 for v, g in zip(x.data, dy)])}
    return {"y": y}, backward


OPS = {"relu": relu}

# Optimizers, for ops with params: {"sgd": make_sgd}, make_sgd(config, params) -> step(params, grads)
# -> new params; see examples/python/impl.py.
OPTIMIZERS = {}

if __name__ == "__main__":
    sys.exit(serve(OPS, name="python starter 0.1", arrays="lists", optimizers=OPTIMIZERS))
