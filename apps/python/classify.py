"""Classify images with a model Trainyard exported, preparing them as its model.json says.

    python3 classify.py artifacts/lenet-l2/evaluate/model.onnx t10k-images-idx3-ubyte [count]

prints the predicted class of each image of an IDX file (as MNIST ships them, gzipped or not). Needs numpy
and onnxruntime (pip install onnxruntime); without onnxruntime, onnx.reference (onnx 1.13 or later) runs
the model instead, in pure Python.
"""
import gzip
import json
import sys
from pathlib import Path

import numpy as np


def preprocess(raw, card):
    """Images as the dataset's files store them (uint8, [n, rows, columns, channels]) to the model's input:
    float32 [n, channels, rows, columns] after the card's steps, each step rounded to float32 as Trainyard does."""
    c, h, w = card["preprocessing"]["source"]["shape"]
    x = np.asarray(raw, dtype=np.uint8).reshape(-1, h, w, c).transpose(0, 3, 1, 2).astype(np.float32)
    for step in card["preprocessing"]["steps"]:
        if step["type"] == "scale":
            x = (x.astype(np.float64) / step["divide"]).astype(np.float32)
        elif step["type"] == "pad":
            margins = ((0, 0), (0, 0), (step["top"], step["bottom"]), (step["left"], step["right"]))
            x = np.pad(x, margins, constant_values=np.float32(step["value"]))
        elif step["type"] == "normalize":
            x = ((x.astype(np.float64) - step["mean"]) / step["std"]).astype(np.float32)
        else:
            raise ValueError(f"model.json: unknown preprocessing step {step['type']!r}")
    return x


def run(model_path, x, card):
    """The model's logits for a prepared batch."""
    try:
        import onnxruntime
    except ImportError:
        from onnx.reference import ReferenceEvaluator

        return ReferenceEvaluator(str(model_path)).run([card["output"]["name"]], {card["input"]["name"]: x})[0]
    session = onnxruntime.InferenceSession(str(model_path))
    return session.run([card["output"]["name"]], {card["input"]["name"]: x})[0]


def read_idx_images(path, count=None):
    """The images of an IDX file: uint8 [n, rows, columns]."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(data[3])]
    images = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)
    return images if count is None else images[:count]


if __name__ == "__main__":
    model = Path(sys.argv[1])
    card = json.loads((model.parent / "model.json").read_text())
    images = read_idx_images(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else None)
    logits = run(model, preprocess(images, card), card)
    for i, k in enumerate(logits.argmax(axis=1)):
        print(i, card["classes"][k])
