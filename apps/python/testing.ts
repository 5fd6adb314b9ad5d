/**
 * What the tests of the three consumers (the page, the Python and the C++ example) share to check the
 * preprocessing steps: small images of known values, step lists through every step and fit, a reference
 * written here with OpenCV's own calls (cv2.resize INTER_LINEAR, cv2.cvtColor, cv2.copyMakeBorder, run by
 * Debian's Python), and model cards made by hand around the small pipeline's model.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { checkModelCard, type ModelCard, type PreprocessingStep } from '../../libs/artifacts';
import { exportOnnx } from '../../libs/onnx';
import { readIdx } from '../../libs/data/testing';
import type { ModelFixture, Predictions } from '../cli/testing';

export const PYTHON = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';

/** False when Debian's Python has OpenCV, else why the tests that compare with the reference are skipped. */
export const skipWithoutReference: false | string =
  spawnSync(PYTHON, ['-c', 'import cv2, numpy'], { encoding: 'utf8' }).status === 0 ? false : `needs ${PYTHON} with OpenCV and numpy (apt-get install python3-opencv)`;

/** How far a consumer's prepared values may be from the reference's: JavaScript's resize sums in double, OpenCV's in float32. */
export const STEP_TOLERANCE = 1e-5;

/** An image's bytes, rows then columns then channels (RGB). */
export interface Picture {
  rows: number;
  columns: number;
  channels: number;
  pixels: Uint8Array;
}

const picture = (rows: number, columns: number, channels: number, value: (i: number) => number): Picture => ({ rows, columns, channels, pixels: Uint8Array.from({ length: rows * columns * channels }, (_, i) => value(i) & 255) });

/** 7 wide, 5 high, RGB, every value different from its neighbours'. */
export const SMALL = picture(5, 7, 3, (i) => i * 73 + 19);
/** 10 wide, 5 high: contained in 5x5 its rows scale to 2.5, a half that must round up to 3. */
const HALF = picture(5, 10, 3, (i) => i * 31 + 7);

export interface StepCase {
  name: string;
  image: Picture;
  steps: PreprocessingStep[];
}

const scale: PreprocessingStep = { type: 'scale', divide: 255 };
const normalize: PreprocessingStep = { type: 'normalize', mean: 0.1307, std: 0.3081 };
const resize = (height: number, width: number, fit: 'stretch' | 'contain' | 'cover', value = 0): PreprocessingStep => ({ type: 'resize', height, width, fit, value });

/** Every step and every fit, shrinking and enlarging, on one channel and on three. */
export const STEP_CASES: StepCase[] = [
  ...(['stretch', 'contain', 'cover'] as const).map((fit) => ({
    name: `7x5 RGB: scale, grayscale, resize ${fit} to 4x4, center-crop 3x3, normalize`,
    image: SMALL,
    steps: [scale, { type: 'grayscale' }, resize(4, 4, fit, 0.5), { type: 'center-crop', height: 3, width: 3 }, normalize] satisfies PreprocessingStep[],
  })),
  { name: '7x5 RGB: scale, resize contain to 9x12 on -1, normalize', image: SMALL, steps: [scale, resize(9, 12, 'contain', -1), normalize] },
  { name: '7x5 RGB: scale, resize cover to 11x6, pad, normalize', image: SMALL, steps: [scale, resize(11, 6, 'cover'), { type: 'pad', top: 1, bottom: 2, left: 0, right: 3, value: 0.25 }, normalize] },
  { name: '7x5 RGB: scale, resize stretch to 3x13, grayscale, center-crop 2x8', image: SMALL, steps: [scale, resize(3, 13, 'stretch'), { type: 'grayscale' }, { type: 'center-crop', height: 2, width: 8 }] },
  { name: '10x5 RGB: scale, resize contain to 5x5 (rows 2.5, rounded up to 3)', image: HALF, steps: [scale, resize(5, 5, 'contain', 0.75)] },
];

export interface Prepared {
  /** [channels, rows, columns] after the steps. */
  shape: number[];
  /** Channels first. */
  values: Float32Array;
}

/**
 * The reference: each image converted to `channels` (alpha dropped, one repeated to three, three to one by
 * BT.601 weights, in float32), then the steps with OpenCV's calls on float32, HWC.
 */
const REFERENCE = String.raw`
import json, math, sys
from fractions import Fraction
import cv2, numpy as np

out = []
for job in json.load(sys.stdin):
    x = np.array(job["pixels"], np.uint8).reshape(job["rows"], job["columns"], -1)
    colour = x[:, :, :3] if x.shape[2] >= 3 else x[:, :, :1]
    if colour.shape[2] != job["channels"]:
        rgb = colour.astype(np.float64)
        colour = np.repeat(colour, 3, axis=2) if job["channels"] == 3 else (0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]).astype(np.float32)[:, :, None]
    x = colour.astype(np.float32)
    for step in job["steps"]:
        kind = step["type"]
        h, w, c = x.shape
        if kind == "scale":
            x = (x.astype(np.float64) / step["divide"]).astype(np.float32)
        elif kind == "normalize":
            x = ((x.astype(np.float64) - step["mean"]) / step["std"]).astype(np.float32)
        elif kind == "grayscale":
            x = cv2.cvtColor(x, cv2.COLOR_RGB2GRAY)[:, :, None]
        elif kind in ("resize", "center-crop"):
            height, width = step["height"], step["width"]
            if kind == "resize":
                rows, columns = height, width
                if step["fit"] != "stretch":
                    ratio = (min if step["fit"] == "contain" else max)(Fraction(height, h), Fraction(width, w))
                    rows, columns = (max(1, math.floor(side * ratio + Fraction(1, 2))) for side in (h, w))
                x = cv2.resize(x, (columns, rows), interpolation=cv2.INTER_LINEAR).reshape(rows, columns, c)
                if step["fit"] == "contain":
                    top, left = (height - rows) // 2, (width - columns) // 2
                    x = cv2.copyMakeBorder(x, top, height - rows - top, left, width - columns - left, cv2.BORDER_CONSTANT, value=[step["value"]] * 4).reshape(height, width, c)
                h, w = x.shape[:2]
            if kind == "center-crop" or step["fit"] == "cover":
                top, left = (h - height) // 2, (w - width) // 2
                x = x[top : top + height, left : left + width]
        elif kind == "pad":
            x = cv2.copyMakeBorder(x, step["top"], step["bottom"], step["left"], step["right"], cv2.BORDER_CONSTANT, value=[step["value"]] * 4).reshape(h + step["top"] + step["bottom"], w + step["left"] + step["right"], c)
        else:
            raise ValueError(kind)
    out.append({"shape": [x.shape[2], x.shape[0], x.shape[1]], "values": x.transpose(2, 0, 1).ravel().astype(np.float64).tolist()})
json.dump(out, sys.stdout)
`;

/** The reference's output for each job: `picture` as a source of `channels` channels through `steps`. */
export function reference(jobs: { image: Picture; channels: number; steps: PreprocessingStep[] }[]): Prepared[] {
  const input = JSON.stringify(jobs.map(({ image, channels, steps }) => ({ rows: image.rows, columns: image.columns, pixels: Array.from(image.pixels), channels, steps })));
  const r = spawnSync(PYTHON, ['-c', REFERENCE], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`the reference failed:\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { shape: number[]; values: number[] }[]).map((p) => ({ shape: p.shape, values: Float32Array.from(p.values) }));
}

/** The largest difference between a consumer's values and the reference's; throws when their sizes differ. */
export function maxDifference(got: ArrayLike<number>, wanted: Float32Array): number {
  if (got.length !== wanted.length) throw new Error(`${got.length} values, the reference has ${wanted.length}`);
  let max = 0;
  for (let i = 0; i < wanted.length; i++) max = Math.max(max, Math.abs(got[i] - wanted[i]));
  return max;
}

/** A model card for images of any size of `channels` channels through `steps`, feeding a model that reads `shape`. */
export function stepsCard(base: ModelCard, channels: number, steps: PreprocessingStep[], shape: number[], classes = base.classes): ModelCard {
  const card: ModelCard = {
    ...base,
    input: { ...base.input, shape: ['batch', ...shape] },
    output: { ...base.output, shape: ['batch', classes.length] },
    classes,
    preprocessing: { source: { shape: [channels, null, null], layout: 'HWC', dtype: 'uint8' }, steps },
  };
  checkModelCard(card);
  return card;
}

/**
 * A model whose logits are its input (a lone flatten, which writes the prepared values in HWC order), with a
 * card of `steps` beside it, in `dir`: how a consumer's prepared values are read through its command line.
 */
export function passThroughModel(dir: string, base: ModelCard, steps: PreprocessingStep[], shape: number[], channels = 3): string {
  mkdirSync(dir, { recursive: true });
  const model = join(dir, 'model.onnx');
  writeFileSync(model, exportOnnx({ model: { input: shape, layers: [{ type: 'flatten' }] }, weights: {}, opset: 13, graphName: 'pass-through', metadata: {} }));
  const classes = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => String(i));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(stepsCard(base, channels, steps, shape, classes)));
  return model;
}

/** An 8-bit PNG of `image` (1 gray, 2 gray and alpha, 3 RGB, 4 RGBA): every row unfiltered, one IDAT chunk. */
export function png(image: Picture): Buffer {
  const { rows, columns, channels, pixels } = image;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(columns, 0);
  header.writeUInt32BE(rows, 4);
  header.set([8, [0, 0, 4, 2, 6][channels], 0, 0, 0], 8); // bit depth 8, colour type, deflate, no filter method, no interlace
  const row = columns * channels;
  const data = Buffer.concat(Array.from({ length: rows }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * row, (y + 1) * row)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(data)), chunk('IEND', Buffer.alloc(0))]);
}

/** A photo-like RGB picture 54 wide and 40 high of the first test image's digit, tinted, off centre: a size and a shape the model never saw. */
export function digitPhoto(testImage: Uint8Array): Picture {
  const [rows, columns] = [40, 54];
  const pixels = new Uint8Array(rows * columns * 3);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = testImage[y * 28 + x];
      pixels.set([v, (v * 7) >> 3, (v * 3) >> 2], ((y + 5) * columns + x + 17) * 3);
    }
  }
  return { rows, columns, channels: 3, pixels };
}

/** A hand-made card around the small pipeline's model (input [1, 32, 32]): its source, its steps, and what onnxruntime-node answers on the reference's preparation of the photo. */
export interface StepsModel {
  name: string;
  /** model.onnx, with this card as model.json beside it. */
  model: string;
  card: ModelCard;
  /** The photo as a PNG. */
  photo: string;
  prepared: Float32Array;
  expected: Predictions;
}

/**
 * The small pipeline's model under cards made by hand with the new steps, each ending at its input,
 * [1, 32, 32]: RGB through grayscale and contain; one channel (the RGB photo converted) through cover and
 * center-crop; RGB through grayscale and stretch. Each with the photo as a PNG and the expected answer.
 */
export async function stepsModels(root: string, fixture: ModelFixture): Promise<StepsModel[]> {
  const base = JSON.parse(readFileSync(join(fixture.model, '..', 'model.json'), 'utf8')) as ModelCard;
  const image = digitPhoto(readIdx(fixture.testFile, 'images').data.subarray(0, 28 * 28) as Uint8Array);
  const photo = join(root, 'photo.png');
  writeFileSync(photo, png(image));
  const variants: { name: string; channels: number; steps: PreprocessingStep[] }[] = [
    { name: 'contain', channels: 3, steps: [scale, { type: 'grayscale' }, resize(32, 32, 'contain'), normalize] },
    { name: 'cover', channels: 1, steps: [scale, resize(36, 36, 'cover'), { type: 'center-crop', height: 32, width: 32 }, normalize] },
    { name: 'stretch', channels: 3, steps: [scale, { type: 'grayscale' }, resize(32, 32, 'stretch'), normalize] },
  ];
  const prepared = reference(variants.map((v) => ({ image, channels: v.channels, steps: v.steps })));
  return Promise.all(
    variants.map(async (v, i) => {
      const dir = join(root, `steps-${v.name}`);
      mkdirSync(dir, { recursive: true });
      const model = join(dir, 'model.onnx');
      copyFileSync(fixture.model, model);
      const card = stepsCard(base, v.channels, v.steps, [1, 32, 32]);
      writeFileSync(join(dir, 'model.json'), JSON.stringify(card, null, 2));
      return { name: v.name, model, card, photo, prepared: prepared[i].values, expected: await fixture.predict(prepared[i].values) };
    }),
  );
}
