"""Test support: runs exported ONNX files in OpenCV's DNN module, as a consumer would.

python3 opencv-forward.py JOBS.json, where JOBS.json lists {"model": "m.onnx", "input": "x.f32", "shape": [n, c, h, w],
"output": "y.f32"}; the .f32 files hold raw float32 in this machine's byte order. Prints one JSON line per job:
{"ok": true}, or {"error": "..."} with the last line of OpenCV's message, the node and the check that refused it (one refused file
does not stop the others).
"""
import json
import sys

import cv2
import numpy as np

for job in json.load(open(sys.argv[1])):
    try:
        net = cv2.dnn.readNetFromONNX(job["model"])
        net.setInput(np.fromfile(job["input"], dtype=np.float32).reshape(job["shape"]))
        net.forward().astype(np.float32).tofile(job["output"])
        print(json.dumps({"ok": True}))
    except cv2.error as e:
        lines = [line.lstrip("> ").strip() for line in str(e).splitlines()]
        print(json.dumps({"error": [line for line in lines if line][-1]}))
