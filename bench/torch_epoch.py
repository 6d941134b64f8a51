"""One MNIST epoch in PyTorch, one thread: the MLP 784-50-10 or the LeNet-5 of src/train/lenet.ts.

The PyTorch side of `npm run bench`: reads the same IDX files as src/ (no download), does the same
preprocessing (pixels / 255, then the training set's global mean/std), trains with cross-entropy and
plain SGD, and prints one JSON line.
Usage: python3 bench/torch_epoch.py <mnist-dir> [--model mlp|lenet] [--batch-norm] [--batch-size 64]
       [--lr 0.1] [--seed 0] [--dtype float32]
"""
import argparse
import json
import os
import resource
import struct
import sys
import time

import numpy as np
import torch


def read_idx(path, magic, rank):
    with open(path, "rb") as f:
        data = f.read()
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        sys.exit(f"idx: {os.path.basename(path)} has magic 0x{found:08x}, expected 0x{magic:08x}")
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if body.size != int(np.prod(dims)):
        sys.exit(f"idx: {os.path.basename(path)} is truncated")
    return body.reshape(dims)


def mlp():
    model = torch.nn.Sequential(torch.nn.Linear(784, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
    for layer in (model[0], model[2]):
        torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.zeros_(layer.bias)
    return model


def lenet(batch_norm):
    """src/train/lenet.ts layer for layer; with batch norm the convolutions have no bias (the mean cancels it)."""
    nn = torch.nn

    def block(cin, cout, padding):
        conv = nn.Conv2d(cin, cout, 5, padding=padding, bias=not batch_norm)
        return [conv, *([nn.BatchNorm2d(cout)] if batch_norm else []), nn.ReLU(), nn.MaxPool2d(2)]

    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)), *block(1, 6, 2), *block(6, 16, 0), nn.Flatten(1),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--model", choices=["mlp", "lenet"], default="mlp")
    p.add_argument("--batch-norm", action="store_true", help="lenet: a BatchNorm2d after each convolution")
    a = p.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    dtype = torch.float32 if a.dtype == "float32" else torch.float64

    def load(prefix):
        x = read_idx(os.path.join(a.dir, f"{prefix}-images-idx3-ubyte"), 0x803, 3)
        y = read_idx(os.path.join(a.dir, f"{prefix}-labels-idx1-ubyte"), 0x801, 1)
        return torch.tensor(x.reshape(len(x), -1) / 255.0, dtype=dtype), torch.tensor(y, dtype=torch.long)

    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    mean, std = x_train.mean(), x_train.std()
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std

    model = (lenet(a.batch_norm) if a.model == "lenet" else mlp()).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    n = len(x_train)
    order = torch.randperm(n)
    start, cpu_start = time.perf_counter(), time.process_time()
    total = 0.0
    for i in range(0, n, a.batch_size):
        idx = order[i : i + a.batch_size]
        xb, yb = x_train[idx], y_train[idx]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    model.eval()  # batch norm: the running statistics
    with torch.no_grad():
        acc = sum((model(x_test[i : i + 1000]).argmax(1) == y_test[i : i + 1000]).sum().item() for i in range(0, len(x_test), 1000)) / len(x_test)
    print(json.dumps({
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "train_loss": total / n,
        "test_accuracy": acc,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "dtype": a.dtype,
        "model": a.model,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
