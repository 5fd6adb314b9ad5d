/**
 * README's C++ example (apps/cpp/classify.cpp), built with cmake against Debian's OpenCV and nlohmann-json,
 * on a small pipeline's exported model: it prepares the first 200 test images from model.json alone into the
 * data stage's very numbers and predicts, with OpenCV's DNN module, what onnxruntime-node predicts, logits
 * within 1e-4; the same from the gzipped file and from a PNG of one image; and it fails in one line. Its
 * grayscale, resize and center-crop steps give the reference's values (apps/python/testing.ts, OpenCV's
 * Python calls), and a photo of another size goes through model cards made by hand with them to
 * onnxruntime-node's answer.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ModelCard } from '../../libs/artifacts';
import { assertLogitsClose, modelFixture, repo, type ModelFixture, type Predictions } from '../cli/testing';
import { readIdx } from '../../libs/data/testing';
import { maxDifference, passThroughModel, png, reference, SMALL, skipWithoutReference, STEP_CASES, STEP_TOLERANCE, stepsModels, type StepCase, type StepsModel } from '../python/testing';

const COUNT = 200;
/** How far the example's logits may be from onnxruntime-node's: OpenCV sums in another order. */
const TOLERANCE = 1e-4;
const runs = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
// Debian's paths: libopencv-dev's headers, nlohmann-json3-dev's.
const skip = !runs('cmake')
  ? 'needs cmake (apt-get install cmake)'
  : !runs('c++')
    ? 'needs a C++ compiler (apt-get install g++)'
    : !existsSync('/usr/include/opencv4/opencv2/dnn.hpp')
      ? "needs OpenCV's headers (apt-get install libopencv-dev)"
      : !existsSync('/usr/include/nlohmann/json.hpp')
        ? 'needs nlohmann-json (apt-get install nlohmann-json3-dev)'
        : false;

let root: string;
let model: string;
let classifyBin: string;
let testFile: string;
let prepared: Float32Array;
let expected: Predictions;
let fixture: ModelFixture;
let cards: StepsModel[];

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'trainyard-cpp-'));
  const build = join(root, 'build');
  for (const args of [['-S', join(repo, 'apps', 'cpp'), '-B', build], ['--build', build, '--parallel', String(availableParallelism())]]) {
    const r = spawnSync('cmake', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cmake ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  }
  classifyBin = join(build, 'classify');
  fixture = await modelFixture(root, COUNT);
  ({ model, testFile, prepared, expected } = fixture);
  if (!skipWithoutReference) cards = await stepsModels(root, fixture);
});

after(() => root && rmSync(root, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(classifyBin, args, { encoding: 'utf8' });

/** The example's --json output: what ran the model, the predicted class indices and the logits. */
function classify(images: string, ...args: string[]): { runtime: string; predicted: number[]; logits: number[][] } {
  const r = run(model, images, ...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** An 8-bit grayscale PNG of `pixels` (rows of `width` bytes). */
const pngOf = (width: number, height: number, pixels: Uint8Array) => png({ rows: height, columns: width, channels: 1, pixels });

/** The first image of an IDX file of 28x28 images. */
const firstImage = (file: string) => readIdx(file, 'images').data.subarray(0, 28 * 28);

test("the example prepares the first 200 test images into the data stage's very numbers and predicts them as onnxruntime-node does", { skip }, async (t) => {
  const input = join(root, 'input.f32');
  const got = classify(testFile, String(COUNT), '--save-input', input);
  t.diagnostic(`runtime: ${got.runtime}`);
  assert.match(got.runtime, /^OpenCV 4\.\d+\.\d+ \(cv::dnn\)$/);
  const fromCpp = readFileSync(input);
  assert.deepEqual(fromCpp, Buffer.from(prepared.buffer, prepared.byteOffset, prepared.byteLength));
  assert.deepEqual(got.predicted, expected.predicted);
  assertLogitsClose(got.logits, expected.logits, TOLERANCE);

  // Without --json: the runtime, then one "index class" line per image.
  const r = run(model, testFile, String(COUNT));
  assert.equal(r.status, 0, r.stderr);
  const [first, ...lines] = r.stdout.trim().split('\n');
  assert.equal(first, `runtime: ${got.runtime}`);
  assert.deepEqual(lines, expected.predicted.map((k, i) => `${i} ${k}`));
});

test('the example reads the gzipped IDX file as MNIST ships it to the same logits', { skip }, () => {
  const gz = join(root, 't10k-images-idx3-ubyte.gz');
  writeFileSync(gz, gzipSync(readFileSync(testFile)));
  assert.deepEqual(classify(gz, String(COUNT)), classify(testFile, String(COUNT)));
});

test('the example classifies a PNG of a test image as onnxruntime-node does, probabilities by softmax', { skip }, () => {
  const png = join(root, 'digit.png');
  writeFileSync(png, pngOf(28, 28, firstImage(testFile)));
  const got = classify(png);
  assert.deepEqual(got.predicted, [expected.predicted[0]]);
  assertLogitsClose(got.logits, [expected.logits[0]], TOLERANCE);

  const r = run(model, png);
  assert.equal(r.status, 0, r.stderr);
  const [first, ...lines] = r.stdout.trim().split('\n');
  assert.equal(first, `runtime: ${got.runtime}`);
  const row = expected.logits[0];
  const e = row.map((v) => Math.exp(v - Math.max(...row)));
  const probabilities = e.map((v) => v / e.reduce((a, b) => a + b, 0));
  assert.deepEqual(lines.map((line) => line.split('\t')[0]), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  lines.forEach((line, k) => assert.ok(Math.abs(Number(line.split('\t')[1]) - probabilities[k]) <= TOLERANCE, `${line} against ${probabilities[k]}`));
});

test('the example fails in one line, with a non-zero status: a missing file, an image of another size, a bad card', { skip }, () => {
  const fails = (args: string[], message: RegExp) => {
    const r = run(...args);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  };
  fails([model, join(root, 'absent.png')], /^classify: \S+absent\.png: no such file\n$/);

  const wide = join(root, 'wide.png');
  const image = firstImage(testFile);
  const pixels = new Uint8Array(30 * 28);
  for (let y = 0; y < 28; y++) pixels.set(image.subarray(y * 28, (y + 1) * 28), y * 30);
  writeFileSync(wide, pngOf(30, 28, pixels));
  fails([model, wide], /^classify: \S+wide\.png is 30x28; model\.json's source is 28x28: resize the image first\n$/);

  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  copyFileSync(model, join(elsewhere, 'model.onnx'));
  fails([join(elsewhere, 'model.onnx'), testFile], /^classify: \S+model\.json: no such file \(the model card goes beside the model\)\n$/);
  writeFileSync(join(elsewhere, 'model.json'), JSON.stringify({ card: 1, preprocessing: { source: { shape: [28, 28] }, steps: [] } }));
  fails([join(elsewhere, 'model.onnx'), testFile], /^classify: \S+model\.json: preprocessing\.source\.shape is \[28,28\], not \[channels, rows, columns\]\n$/);
  writeFileSync(join(elsewhere, 'model.json'), '{"card": 1,');
  fails([join(elsewhere, 'model.onnx'), testFile], /^classify: \S+model\.json: not a model card \(.*\)\n$/);
  const card = JSON.parse(readFileSync(join(model, '..', 'model.json'), 'utf8')) as ModelCard;
  const squash = { ...card, preprocessing: { ...card.preprocessing, steps: [{ type: 'resize', height: 32, width: 32, fit: 'squash', value: 0 }] } };
  writeFileSync(join(elsewhere, 'model.json'), JSON.stringify(squash));
  fails([join(elsewhere, 'model.onnx'), testFile], /^classify: \S+model\.json: step resize's fit is "squash", not stretch, contain or cover\n$/);
});

/** The values the example prepares from `image` (a PNG) under a card of `steps`, read through a model that passes them through. */
function preparedBy(name: string, image: Buffer, channels: number, steps: StepCase['steps'], shape: number[]): Float32Array {
  const dir = join(root, 'steps', name);
  const card = JSON.parse(readFileSync(join(model, '..', 'model.json'), 'utf8')) as ModelCard;
  const passThrough = passThroughModel(dir, card, steps, shape, channels);
  writeFileSync(join(dir, 'image.png'), image);
  const r = run(passThrough, join(dir, 'image.png'), '--json', '--save-input', join(dir, 'input.f32'));
  assert.equal(r.status, 0, r.stderr);
  return new Float32Array(new Uint8Array(readFileSync(join(dir, 'input.f32'))).buffer);
}

test("the example's grayscale, resize of every fit and center-crop give the reference's values within 1e-5, from an RGB PNG", { skip: skip || skipWithoutReference }, () => {
  const wanted = reference(STEP_CASES.map((c) => ({ image: c.image, channels: 3, steps: c.steps })));
  STEP_CASES.forEach((c, i) => {
    const diff = maxDifference(preparedBy(String(i), png(c.image), 3, c.steps, wanted[i].shape), wanted[i].values);
    assert.ok(diff <= STEP_TOLERANCE, `${c.name}: ${diff} from the reference`);
  });
});

test("the example converts an RGBA PNG to the source's one channel and a gray one to three, as the reference does", { skip: skip || skipWithoutReference }, () => {
  const rgba = { ...SMALL, channels: 4, pixels: Uint8Array.from({ length: SMALL.rows * SMALL.columns * 4 }, (_, i) => (i * 89 + 3) & 255) };
  const gray = { ...SMALL, channels: 1, pixels: SMALL.pixels.subarray(0, SMALL.rows * SMALL.columns) };
  const jobs = [{ image: rgba, channels: 1 }, { image: gray, channels: 3 }];
  const steps: StepCase['steps'] = [{ type: 'scale', divide: 255 }];
  const wanted = reference(jobs.map((j) => ({ ...j, steps })));
  jobs.forEach((j, i) => assert.deepEqual(Array.from(preparedBy(`convert-${i}`, png(j.image), j.channels, steps, wanted[i].shape)), Array.from(wanted[i].values)));
});

test("the example classifies an RGB photo 54 wide and 40 high through cards of contain, cover and stretch as onnxruntime-node does on the reference's preparation", { skip: skip || skipWithoutReference }, () => {
  for (const c of cards) {
    const r = run(c.model, c.photo, '--json');
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { predicted: number[]; logits: number[][] };
    assert.deepEqual(got.predicted, c.expected.predicted, c.name);
    assertLogitsClose(got.logits, c.expected.logits, TOLERANCE);
  }
});
