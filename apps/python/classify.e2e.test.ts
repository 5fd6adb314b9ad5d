/**
 * README's Python example (apps/python/classify.py) on a small pipeline's exported model: it prepares the
 * first 200 test images from model.json alone into the data stage's very numbers, and runs the model (with
 * onnxruntime if Python has it, else OpenCV's DNN module) to onnxruntime-node's predictions and logits, on
 * the IDX file and on a PNG of one of its images.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertLogitsClose, modelFixture, repo, type ModelFixture, type Predictions } from '../cli/testing';

const PYTHON = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';
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

let root: string;
let dir: string;
let model: string;
let testFile: string;
let prepared: Float32Array;
let expected: Predictions;
let fixture: ModelFixture;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-python-'));
  fixture = await modelFixture(root, COUNT);
  ({ dir, model, testFile, prepared, expected } = fixture);
});

after(() => root && rmSync(root, { recursive: true, force: true }));

/** classify.py's --json output: what ran the model, the predicted class indices and the logits. */
function classify(images: string, ...args: string[]): { runtime: string; predicted: number[]; logits: number[][] } {
  const r = spawnSync(PYTHON, [CLASSIFY, model, images, ...args, '--json'], { encoding: 'utf8' });
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
  assert.match(refused.stderr, /^classify\.py: \S+wide\.png is 30x28 with 1 channel\(s\); model\.json's source is 28x28 with 1: resize or convert the image first\n$/);
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
