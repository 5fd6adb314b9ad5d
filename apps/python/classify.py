"""Classify images with a model Trainyard exported, preparing them as its model.json says.

    python3 classify.py artifacts/lenet-l2/evaluate/model.onnx digit.png
    python3 classify.py artifacts/lenet-l2/evaluate/model.onnx t10k-images-idx3-ubyte [count]

For a PNG, prints each class's probability; for an IDX file (as MNIST ships them, gzipped or not), the
predicted class of each image. A PNG must have 8 bits a sample, and the rows and columns model.json's
preprocessing.source gives (28x28 for MNIST) unless they are null (the source's images vary in size, and a
resize step follows); its channels are converted to the source's as Trainyard converts files (alpha
dropped, gray repeated to RGB, RGB to gray by BT.601 weights). The first line says what ran the
model: onnxruntime when Python has it (pip install onnxruntime), else OpenCV's DNN module (Debian's
python3-opencv), which also decodes PNGs. --json prints the runtime, the predicted classes' indices and the
logits as one JSON object instead. Needs numpy.
"""
import argparse
import gzip
import json
import sys
from pathlib import Path

import numpy as np


def preprocess(raw, card):
    """Images as the dataset's files store them ([n, rows, columns, channels], bytes or to_channels' floats;
    rows and columns their own when the source's are null) to the model's input: float32 [n, channels, rows,
    columns] after the card's steps, each step rounded to float32 as Trainyard does."""
    c, h, w = card["preprocessing"]["source"]["shape"]
    raw = np.asarray(raw)
    h, w = (h, w) if h is not None else raw.shape[1:3]
    x = raw.reshape(-1, h, w, c).transpose(0, 3, 1, 2).astype(np.float32)
    for step in card["preprocessing"]["steps"]:
        if step["type"] == "scale":
            x = (x.astype(np.float64) / step["divide"]).astype(np.float32)
        elif step["type"] == "grayscale":
            if x.shape[1] != 3:
                raise ValueError(f"model.json: grayscale of images of {x.shape[1]} channel(s), not 3")
            r, g, b = x.astype(np.float64).transpose(1, 0, 2, 3)
            x = luma(r, g, b)[:, None].astype(np.float32)
        elif step["type"] == "resize":
            x = resize(x, step)
        elif step["type"] == "center-crop":
            x = center_crop(x, step["height"], step["width"])
        elif step["type"] == "pad":
            margins = ((0, 0), (0, 0), (step["top"], step["bottom"]), (step["left"], step["right"]))
            x = np.pad(x, margins, constant_values=np.float32(step["value"]))
        elif step["type"] == "normalize":
            x = ((x.astype(np.float64) - step["mean"]) / step["std"]).astype(np.float32)
        else:
            raise ValueError(f"model.json: unknown preprocessing step {step['type']!r}")
    return x


def luma(r, g, b):
    """ITU-R BT.601 luma, the grayscale step's weights."""
    return 0.299 * r + 0.587 * g + 0.114 * b


def resize(x, step):
    """OpenCV's bilinear resampling (INTER_LINEAR, on float32) of each image's planes; for contain the result
    centred on a canvas of the step's value, for cover its middle. Those two scale by the smaller ratio or the
    larger, the other side rounded to the nearest integer, halves up."""
    cv2 = opencv("the resize step")
    n, c, h, w = x.shape
    height, width, fit = step["height"], step["width"], step["fit"]
    rows, columns = height, width
    if fit != "stretch" and (height * w <= width * h) == (fit == "contain"):
        columns = max(1, (2 * w * height + h) // (2 * h))
    elif fit != "stretch":
        rows = max(1, (2 * h * width + w) // (2 * w))
    planes = np.ascontiguousarray(x).reshape(n * c, h, w)
    x = np.stack([cv2.resize(p, (columns, rows), interpolation=cv2.INTER_LINEAR) for p in planes]).reshape(n, c, rows, columns)
    if fit == "contain":
        top, left = (height - rows) // 2, (width - columns) // 2
        margins = ((0, 0), (0, 0), (top, height - rows - top), (left, width - columns - left))
        return np.pad(x, margins, constant_values=np.float32(step["value"]))
    return center_crop(x, height, width)


def center_crop(x, height, width):
    """The middle height x width of each image: from row (rows - height) // 2 and column (columns - width) // 2."""
    h, w = x.shape[2:]
    if height > h or width > w:
        raise ValueError(f"model.json: center-crop to {height}x{width} of images of {h}x{w}")
    top, left = (h - height) // 2, (w - width) // 2
    return x[:, :, top : top + height, left : left + width]


def run(model_path, x, card, batch=1000):
    """The model's logits for a prepared batch, and what computed them: onnxruntime if Python has it, else
    OpenCV's DNN module. Fed `batch` images at a time, to bound the memory OpenCV takes for large files."""
    try:
        import onnxruntime
    except ImportError:
        try:
            import cv2
        except ImportError:
            raise ValueError(f"running the model needs onnxruntime or OpenCV, and {sys.executable} imports neither (Debian's /usr/bin/python3 has OpenCV after apt-get install python3-opencv)") from None

        # OpenCV logs a failed import before raising it: the raised message alone, on one line, says enough.
        level = cv2.getLogLevel()
        cv2.setLogLevel(0)  # silent
        try:
            net = cv2.dnn.readNetFromONNX(str(model_path))
        except cv2.error as e:
            raise ValueError(f"{model_path}: OpenCV cannot read it: {' '.join(str(e).split()).rstrip(' >')}") from None
        finally:
            cv2.setLogLevel(level)

        def forward(part):
            # The input is the graph's only one; forward() returns the last layer's output, the logits.
            net.setInput(np.ascontiguousarray(part))
            return net.forward()

        runtime = f"OpenCV {cv2.__version__} (cv2.dnn)"
    else:
        try:
            session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime's own exception types, one per failure
            raise ValueError(f"{model_path}: onnxruntime cannot read it: {' '.join(str(e).split())}") from None

        def forward(part):
            return session.run([card["output"]["name"]], {card["input"]["name"]: part})[0]

        runtime = f"onnxruntime {onnxruntime.__version__}"
    logits = np.concatenate([forward(x[i : i + batch]) for i in range(0, len(x), batch)])
    return logits.astype(np.float32), runtime


def read_idx_images(path, count=None):
    """The images of an IDX file: uint8 [n, rows, columns] (or [n, rows, columns, channels])."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(data[3])]
    if len(data) < 4 + 4 * len(dims) + int(np.prod(dims)):
        raise ValueError(f"{path}: shorter than its header says ({'x'.join(map(str, dims))} values)")
    images = np.frombuffer(data, dtype=np.uint8, count=int(np.prod(dims)), offset=4 + 4 * len(dims)).reshape(dims)
    return images if count is None else images[:count]


def opencv(purpose):
    """cv2, or a ValueError saying that `purpose` needs it."""
    try:
        import cv2
    except ImportError:
        raise ValueError(f"{purpose} needs OpenCV, and {sys.executable} cannot import cv2 (Debian's /usr/bin/python3 can after apt-get install python3-opencv)") from None
    return cv2


def to_channels(images, channels):
    """Images' bytes (channels last: 1 gray, 2 gray and alpha, 3 RGB, 4 RGBA) with the source's channels, as the
    data stage converts files: alpha dropped, one channel repeated to three, three made one as the grayscale
    step does (float32, not rounded to a byte)."""
    colour = images[..., :3] if images.shape[-1] >= 3 else images[..., :1]
    if colour.shape[-1] == channels:
        return colour
    if channels == 3:
        return np.repeat(colour, 3, axis=-1)
    rgb = colour.astype(np.float64)
    return luma(rgb[..., 0], rgb[..., 1], rgb[..., 2]).astype(np.float32)[..., None]


def read_png(path, card):
    """A PNG as the dataset's files store one image: [1, rows, columns, channels], bytes (floats where made
    gray). Its channels are converted to the source's as the data stage converts files; its size must be the source's unless those
    vary (null), since resizing would give the model other numbers than those it was evaluated on."""
    cv2 = opencv("reading a PNG")
    c, h, w = card["preprocessing"]["source"]["shape"]
    # UNCHANGED keeps grayscale as one channel and 16-bit samples as 16 bits, so neither passes unnoticed.
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise ValueError(f"{path}: not an image OpenCV can read")
    if image.dtype != np.uint8:
        raise ValueError(f"{path}: {8 * image.dtype.itemsize}-bit samples; model.json's source is 8-bit")
    if h is not None and image.shape[:2] != (h, w):
        raise ValueError(f"{path} is {image.shape[1]}x{image.shape[0]}; model.json's source is {w}x{h}: resize the image first")
    image = image.reshape(image.shape[0], image.shape[1], -1)
    if image.shape[2] >= 3:
        image = image[:, :, [2, 1, 0, 3][: image.shape[2]]]  # OpenCV decodes to BGR(A); PNG stores RGB(A)
    return to_channels(image, c)[None]


def load_card(model_path):
    """model.json beside the model, with the keys this file reads checked."""
    path = Path(model_path).parent / "model.json"
    if not path.is_file():
        raise ValueError(f"{path}: no such file (the model card goes beside the model)")
    try:
        card = json.loads(path.read_text())
        for keys in (("preprocessing", "source", "shape"), ("preprocessing", "steps"), ("input", "name"), ("output", "name"), ("classes",)):
            value = card
            for key in keys:
                value = value[key]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"{path}: not a model card ({type(e).__name__}: {e})") from None
    shape = card["preprocessing"]["source"]["shape"]
    # Rows and columns are both null when the source's images vary in size.
    numbers = shape[:1] if isinstance(shape, list) and shape[1:] == [None, None] else shape
    if not (isinstance(shape, list) and len(shape) == 3 and all(isinstance(v, int) and v > 0 for v in numbers)):
        raise ValueError(f"{path}: preprocessing.source.shape is {shape!r}, not [channels, rows, columns]")
    return card


def main(argv):
    parser = argparse.ArgumentParser(description="Classify a PNG or an IDX file's images with a model Trainyard exported.")
    parser.add_argument("model", type=Path, help="model.onnx, with its model.json beside it")
    parser.add_argument("images", type=Path, help="a PNG (of the source's size, when it has one), or an IDX file of images (gzipped or not)")
    parser.add_argument("count", type=int, nargs="?", help="classify the IDX file's first COUNT images only")
    parser.add_argument("--json", action="store_true", help="print runtime, predicted and logits as one JSON object")
    args = parser.parse_args(argv)
    if args.count is not None and args.count < 1:
        parser.error("count must be 1 or more")
    for path in (args.model, args.images):
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
    card = load_card(args.model)
    with open(args.images, "rb") as f:
        head = f.read(8)
    png = head == b"\x89PNG\r\n\x1a\n"
    if not png and head[:2] != b"\x1f\x8b" and head[:3] != b"\x00\x00\x08":
        raise ValueError(f"{args.images}: neither a PNG nor an IDX file")
    if png:
        raw = read_png(args.images, card)
    else:
        raw = read_idx_images(args.images, args.count)
        c, h, w = card["preprocessing"]["source"]["shape"]
        if raw.ndim < 3:
            raise ValueError(f"{args.images}: an IDX file of {raw.ndim} dimension(s), not of images")
        if h is None:  # any size: the file's own, its channels converted as a PNG's
            raw = to_channels(raw.reshape(*raw.shape[:3], -1), c)
        elif int(np.prod(raw.shape[1:])) != c * h * w:
            raise ValueError(f"{args.images}: images of {'x'.join(map(str, raw.shape[1:]))}; model.json's source is {c}x{h}x{w}")
    logits, runtime = run(args.model, preprocess(raw, card), card)
    predicted = logits.argmax(axis=1)
    if args.json:
        print(json.dumps({"runtime": runtime, "predicted": predicted.tolist(), "logits": logits.tolist()}))
        return
    print(f"runtime: {runtime}")
    if png:
        e = np.exp(logits[0].astype(np.float64) - logits[0].max())
        for name, p in zip(card["classes"], e / e.sum()):
            print(f"{name}\t{p:.4f}")
    else:
        for i, k in enumerate(predicted):
            print(i, card["classes"][k])


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (ValueError, OSError) as e:
        sys.exit(f"classify.py: {e}")
    except KeyError as e:
        sys.exit(f"classify.py: model.json: a preprocessing step without {e}")
