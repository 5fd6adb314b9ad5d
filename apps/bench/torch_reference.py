"""PyTorch reference for `npm run bench`: trains the same graphs (from the job JSON Trainyard writes as
the first line on stdin), then answers each further line, a model's name, a thread count and a step count, with the
samples/s of one repeat of that many steps of that model on that many threads. The bench asks between its own repeats, so
both runtimes see the same machine (a shared VM's speed drifts within a minute).

Only a comparison for the benchmark; never part of a pipeline."""
import json
import sys
import time

import warnings

import torch
from torch import nn

warnings.filterwarnings("ignore", message="Lazy modules")


def build(model):
    """nn.Sequential of the same layers; lazy modules take their input sizes from the first batch."""
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    layers = []
    flat = len(model["input"]) == 1  # batch norm over features once flat, over channels before
    for layer in model["layers"]:
        kind = layer["type"]
        if kind == "batchnorm":
            layers.append(nn.LazyBatchNorm1d() if flat else nn.LazyBatchNorm2d())
        elif kind == "conv":
            layers.append(nn.LazyConv2d(layer["filters"], layer["kernel"], stride=layer.get("stride", 1),
                                        padding=layer.get("padding", "valid"), bias=layer.get("bias", True)))
        elif kind in ("avgpool", "maxpool"):
            size = layer.get("size", 2)
            pool = nn.AvgPool2d if kind == "avgpool" else nn.MaxPool2d
            layers.append(pool(size, stride=layer.get("stride", size)))
        elif kind == "flatten":
            layers.append(nn.Flatten())
            flat = True
        elif kind == "dense":
            layers.append(nn.LazyLinear(layer["units"], bias=layer.get("bias", True)))
        elif kind == "dropout":
            layers.append(nn.Dropout(layer["rate"]))
        elif kind != "activation":  # an activation layer is its activation, added below
            raise ValueError(f"no PyTorch reference for layer type {kind!r}: the bench cannot compare this model")
        if layer.get("activation", "linear") != "linear":
            layers.append(acts[layer["activation"]]())
    return nn.Sequential(*layers)


def main():
    job = json.loads(sys.stdin.readline())
    torch.manual_seed(1)
    steps = {}
    for name, model in job["models"].items():
        net = build(model)
        batch = job["batches"][name]
        x = torch.randn(batch, *model["input"])
        y = torch.randint(0, 10, (batch,))
        net(x)  # materialise lazy layers before the optimizer sees the parameters
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        net.train()

        def step(net=net, x=x, y=y, opt=opt, loss_fn=loss_fn):
            opt.zero_grad()
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()

        for _ in range(job["warmup"]):
            step()
        steps[name] = (step, batch)
    print("ready", flush=True)  # the bench probed the version before starting it
    for line in sys.stdin:
        name, threads, count = line.split()
        step, batch = steps[name]
        count = int(count)
        torch.set_num_threads(int(threads))
        step()  # once on the new thread count before timing
        start = time.perf_counter()
        for _ in range(count):
            step()
        print(count * batch / (time.perf_counter() - start), flush=True)


main()
