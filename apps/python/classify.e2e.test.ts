/**
 * README's Python example (apps/python/classify.py) on a small pipeline's exported model: it prepares the
 * first 200 test images from model.json alone into the data stage's very numbers, and runs the model (with
 * onnxruntime if Python has it, else OpenCV's DNN module) to onnxruntime-node's predictions and logits, on
 * the IDX file and on a PNG of one of its images. Its grayscale, resize and center-crop steps give the
 * reference's values (apps/python/testing.ts, OpenCV's own calls), and a photo of another size goes through
 * model cards made by hand with them to onnxruntime-node's answer.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertLogitsClose, modelFixture, repo, type ModelFixture, type Predictions } from '../cli/testing';
import { readIdx } from '../../libs/data/testing';
import { maxDifference, png, PYTHON, reference, skipWithoutReference, STEP_CASES, STEP_TOLERANCE, stepsCard, stepsModels, type StepsModel } from './testing';

const CLASSIFY = join(repo, 'apps', 'python', 'classify.py');
const COUNT = 200;
/** How far the example's logits may be from onnxruntime-node's: another runtime sums in another order. */
const TOLERANCE = 1e-4;
const python = (code: string) => spawnSync(PYTHON, ['-c', code], { cwd: join(repo, 'apps', 'python'), encoding: 'utf8' });
const skip = python('import numpy').status === 0 ? false : `needs ${PYTHON} with numpy (apt-get install python3-numpy)`;
const cv2 = python('import cv2').status === 0;
const onnxruntime = python('import onnxruntime').status === 0;
const skipRun = skip || (cv2 || onnxruntime ? false : `needs onnxruntime or OpenCV for ${PYTHON} (apt-get install python3-opencv)`);
const skipPng = skipRun || (cv2 ? false : `needs OpenCV for ${PYTHON} to decode PNGs (apt-get install python3-opencv)`);
const skipSteps = skip || skipWithoutReference;

let root: string;
let dir: string;
let model: string;
let testFile: string;
let prepared: Float32Array;
let expected: Predictions;
let fixture: ModelFixture;
let cards: StepsModel[];

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-python-'));
  fixture = await modelFixture(root, COUNT);
  ({ dir, model, testFile, prepared, expected } = fixture);
  if (!skipWithoutReference) cards = await stepsModels(root, fixture);
});

after(() => root && rmSync(root, { recursive: true, force: true }));

/** classify.py's --json output: what ran the model, the predicted class indices and the logits. */
function classify(images: string, ...args: string[]): { runtime: string; predicted: number[]; logits: number[][] } {
  return classifyWith(model, images, ...args);
}

function classifyWith(modelFile: string, images: string, ...args: string[]): { runtime: string; predicted: number[]; logits: number[][] } {
  const r = spawnSync(PYTHON, [CLASSIFY, modelFile, images, ...args, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("the example prepares the test images from model.json into the data stage's very numbers", { skip }, async () => {
  const out = join(root, 'prepared.f32');
  const code = `import json, classify; card = json.load(open(${JSON.stringify(join(dir, 'artifacts', 'small', 'evaluate', 'model.json'))}))
x = classify.preprocess(classify.read_idx_images(${JSON.stringify(testFile)}, ${COUNT}), card)
assert x.shape == (${COUNT}, 1, 32, 32) and x.dtype.name == 'float32', (x.shape, x.dtype)
x.tofile(${JSON.stringify(out)})`;
  const r = python(code);
  assert.equal(r.status, 0, r.stderr);
  const fromPython = new Float32Array(new Uint8Array(readFileSync(out)).buffer);
  assert.deepEqual(Buffer.from(fromPython.buffer), Buffer.from(prepared.buffer, prepared.byteOffset, prepared.byteLength));
  assert.deepEqual((await fixture.predict(fromPython)).predicted, expected.predicted);
});

test("the example predicts the first 200 test images as onnxruntime-node does, logits within 1e-4", { skip: skipRun }, (t) => {
  const got = classify(testFile, String(COUNT));
  t.diagnostic(`runtime: ${got.runtime}`);
  // onnxruntime when Python has it, else OpenCV: never something else unnoticed.
  assert.match(got.runtime, onnxruntime ? /^onnxruntime / : /^OpenCV .*cv2\.dnn/);
  assert.deepEqual(got.predicted, expected.predicted);
  assertLogitsClose(got.logits, expected.logits, TOLERANCE);

  // Without --json: the runtime, then one "index class" line per image.
  const r = spawnSync(PYTHON, [CLASSIFY, model, testFile, String(COUNT)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [first, ...lines] = r.stdout.trim().split('\n');
  assert.equal(first, `runtime: ${got.runtime}`);
  assert.deepEqual(lines, expected.predicted.map((k, i) => `${i} ${k}`));
});

test('the example classifies a PNG of a test image as onnxruntime-node does, and refuses one of another size', { skip: skipPng }, () => {
  const png = join(root, 'digit.png');
  const wide = join(root, 'wide.png');
  const write = python(`import cv2, classify
image = classify.read_idx_images(${JSON.stringify(testFile)}, 1)[0]
assert cv2.imwrite(${JSON.stringify(png)}, image)
assert cv2.imwrite(${JSON.stringify(wide)}, cv2.copyMakeBorder(image, 0, 0, 0, 2, cv2.BORDER_CONSTANT))`);
  assert.equal(write.status, 0, write.stderr);

  const got = classify(png);
  assert.deepEqual(got.predicted, [expected.predicted[0]]);
  assertLogitsClose(got.logits, [expected.logits[0]], TOLERANCE);

  // Without --json: the runtime, then each class's probability, the softmax of the logits.
  const r = spawnSync(PYTHON, [CLASSIFY, model, png], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [first, ...lines] = r.stdout.trim().split('\n');
  assert.equal(first, `runtime: ${got.runtime}`);
  const e = expected.logits[0].map((v) => Math.exp(v - Math.max(...expected.logits[0])));
  const probabilities = e.map((v) => v / e.reduce((a, b) => a + b, 0));
  assert.deepEqual(lines.map((line) => line.split('\t')[0]), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  lines.forEach((line, k) => assert.ok(Math.abs(Number(line.split('\t')[1]) - probabilities[k]) <= TOLERANCE, `${line} against ${probabilities[k]}`));

  const refused = spawnSync(PYTHON, [CLASSIFY, model, wide], { encoding: 'utf8' });
  assert.equal(refused.status, 1);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /^classify\.py: \S+wide\.png is 30x28; model\.json's source is 28x28: resize the image first\n$/);
});

test("the example converts an RGB and a gray-and-alpha PNG of a test image to the source's one channel, to the same answer", { skip: skipPng }, () => {
  const image = readIdx(testFile, 'images').data.subarray(0, 28 * 28) as Uint8Array;
  for (const channels of [3, 2]) {
    const file = join(root, `digit-${channels}.png`);
    const pixels = Uint8Array.from({ length: 28 * 28 * channels }, (_, i) => (channels === 2 && i % 2 === 1 ? 255 : image[Math.floor(i / channels)]));
    writeFileSync(file, png({ rows: 28, columns: 28, channels, pixels }));
    const got = classify(file);
    assert.deepEqual(got.predicted, [expected.predicted[0]]);
    assertLogitsClose(got.logits, [expected.logits[0]], TOLERANCE);
  }
});

test("the example's preprocess gives the reference's values for grayscale, resize of every fit and center-crop, within 1e-5", { skip: skipSteps }, async () => {
  const wanted = reference(STEP_CASES.map((c) => ({ image: c.image, channels: 3, steps: c.steps })));
  const base = JSON.parse(readFileSync(join(dir, 'artifacts', 'small', 'evaluate', 'model.json'), 'utf8'));
  const jobs = STEP_CASES.map((c, i) => ({ raw: Array.from(c.image.pixels), rows: c.image.rows, columns: c.image.columns, card: stepsCard(base, 3, c.steps, wanted[i].shape, ['a', 'b']) }));
  const file = join(root, 'step-jobs.json');
  writeFileSync(file, JSON.stringify(jobs));
  const r = python(`import json, numpy as np, classify
jobs = json.load(open(${JSON.stringify(file)}))
print(json.dumps([classify.preprocess(np.array(j["raw"], np.uint8).reshape(1, j["rows"], j["columns"], 3), j["card"]).astype(np.float64).ravel().tolist() for j in jobs]))`);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as number[][];
  STEP_CASES.forEach((c, i) => {
    const diff = maxDifference(got[i], wanted[i].values);
    assert.ok(diff <= STEP_TOLERANCE, `${c.name}: ${diff} from the reference`);
  });
});

test("the example classifies an RGB photo 54 wide and 40 high through cards of contain, cover and stretch as onnxruntime-node does on the reference's preparation", { skip: skipPng || skipWithoutReference }, () => {
  for (const c of cards) {
    const got = classifyWith(c.model, c.photo);
    assert.deepEqual(got.predicted, c.expected.predicted, c.name);
    assertLogitsClose(got.logits, c.expected.logits, TOLERANCE);
  }
});

test('the example says in one line what is missing', { skip }, () => {
  const r = spawnSync(PYTHON, [CLASSIFY, model, join(root, 'absent.png')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^classify\.py: \S+absent\.png: no such file\n$/);
});

test("README's Python example is classify.py's preprocess, word for word", () => {
  const source = readFileSync(CLASSIFY, 'utf8');
  const fn = source.slice(source.indexOf('def preprocess(raw, card):'), source.indexOf('\n\n\ndef run('));
  assert.ok(fn.length > 200 && readFileSync(join(repo, 'README.md'), 'utf8').includes(`\`\`\`python\n${fn}\n\`\`\``));
});
