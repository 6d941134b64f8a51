"""The NumPy + OpenBLAS side of `npm run bench`: the seed tutorial's own stack, one thread.

  python3 bench/numpy_peer.py epoch <mnist-dir> [--batch-size 64] [--lr 0.1] [--seed 0] [--dtype float64]
      One MNIST epoch of a hand-written 784-50-10 MLP (ReLU, softmax cross-entropy with mean
      reduction, plain SGD), doing per batch what src's train() does: forward, loss, accuracy,
      backward, update. Same IDX files, same preprocessing (pixels / 255, the training set's
      global mean and std). Times the training loop only.
  python3 bench/numpy_peer.py matmul [--sizes 64,128] [--dtype float64] [--min-seconds 0.4]
      C = A·B for square n×n: GFLOPS = 2n³ / time per product (median and best).

Prints one JSON line, including which OpenBLAS core (kernel set) the library picked at run time.
Run it with OPENBLAS_NUM_THREADS=1; the bench does, and unsets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.
"""
import argparse
import ctypes
import glob
import json
import os
import resource
import struct
import sys
import time

import numpy as np


def openblas_info():
    """The OpenBLAS build and the core it chose (e.g. 'SkylakeX', 'Haswell'), or why unknown."""
    info = {"numpy": np.__version__, "threads_env": os.environ.get("OPENBLAS_NUM_THREADS")}
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                core = getattr(lib, f"{prefix}_get_corename{suffix}", None)
                config = getattr(lib, f"{prefix}_get_config{suffix}", None)
                if core is not None and config is not None:
                    core.restype = config.restype = ctypes.c_char_p
                    info.update(core=core().decode(), config=config().decode())
                    return info
    info["core"] = "unknown (no bundled OpenBLAS found next to numpy)"
    return info


def read_idx(path, magic, rank):
    with open(path, "rb") as f:
        data = f.read()
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        sys.exit(f"idx: {os.path.basename(path)} has magic 0x{found:08x}, expected 0x{magic:08x}")
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def epoch(a):
    dtype = np.dtype(a.dtype)
    rng = np.random.default_rng(a.seed)

    def load(prefix):
        x = read_idx(os.path.join(a.dir, f"{prefix}-images-idx3-ubyte"), 0x803, 3)
        y = read_idx(os.path.join(a.dir, f"{prefix}-labels-idx1-ubyte"), 0x801, 1)
        return (x.reshape(len(x), -1) / 255.0), y.astype(np.int64)

    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    mean, std = x_train.mean(), x_train.std()
    x_train = ((x_train - mean) / std).astype(dtype)
    x_test = ((x_test - mean) / std).astype(dtype)
    onehot = np.eye(10, dtype=dtype)[y_train]

    w1 = (rng.standard_normal((784, 50)) * np.sqrt(2 / 784)).astype(dtype)
    w2 = (rng.standard_normal((50, 10)) * np.sqrt(2 / 50)).astype(dtype)
    b1, b2 = np.zeros(50, dtype), np.zeros(10, dtype)
    lr = dtype.type(a.lr)

    n = len(x_train)
    order = rng.permutation(n)
    start, cpu_start = time.perf_counter(), time.process_time()
    loss_sum, correct = 0.0, 0
    for i in range(0, n, a.batch_size):
        idx = order[i : i + a.batch_size]
        xb, tb = x_train[idx], onehot[idx]
        rows = len(idx)
        h = xb @ w1 + b1
        r = np.maximum(h, 0)
        z = r @ w2 + b2
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        p = e / s
        loss_sum += float(-(tb * (z - np.log(s))).sum())
        correct += int((z.argmax(axis=1) == tb.argmax(axis=1)).sum())
        g = (p - tb) / dtype.type(rows)
        gw2, gb2 = r.T @ g, g.sum(axis=0)
        gh = (g @ w2.T) * (h > 0)
        gw1, gb1 = xb.T @ gh, gh.sum(axis=0)
        w1 -= lr * gw1
        b1 -= lr * gb1
        w2 -= lr * gw2
        b2 -= lr * gb2
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    logits = np.maximum(x_test @ w1 + b1, 0) @ w2 + b2
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "train_loss": loss_sum / n,
        "train_accuracy": correct / n,
        "test_accuracy": float((logits.argmax(axis=1) == y_test).mean()),
        "dtype": a.dtype,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def matmul(a):
    rng = np.random.default_rng(0)
    results = []
    for n in [int(s) for s in a.sizes.split(",")]:
        x = rng.standard_normal((n, n)).astype(a.dtype)
        y = rng.standard_normal((n, n)).astype(a.dtype)
        out = np.empty((n, n), a.dtype)
        np.matmul(x, y, out=out)  # warm-up
        times = []
        began = time.perf_counter()
        while len(times) < 3 or time.perf_counter() - began < a.min_seconds:
            t0 = time.perf_counter()
            np.matmul(x, y, out=out)
            times.append(time.perf_counter() - t0)
        times.sort()
        flop = 2 * n**3
        results.append({"n": n, "gflops_median": flop / times[len(times) // 2] / 1e9, "gflops_best": flop / times[0] / 1e9})
    return {"dtype": a.dtype, "matmul": results}


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    e = sub.add_parser("epoch")
    e.add_argument("dir")
    e.add_argument("--batch-size", type=int, default=64)
    e.add_argument("--lr", type=float, default=0.1)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    m = sub.add_parser("matmul")
    m.add_argument("--sizes", default="64,128,256,512,1024")
    m.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    m.add_argument("--min-seconds", type=float, default=0.4)
    a = p.parse_args()
    result = epoch(a) if a.mode == "epoch" else matmul(a)
    result["openblas"] = openblas_info()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
