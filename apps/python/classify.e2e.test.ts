/**
 * README's Python example (apps/python/classify.py) on a small pipeline's exported model: it prepares the
 * first 200 test images from model.json alone, and predicts what onnxruntime-node predicts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { loadDataset } from '../../libs/data';
import { locateSource } from '../../libs/data/testing';
import { loadPipeline } from '../../libs/pipeline-file';
import { QUICK_SMALL_PIPELINE, repo, workspaceWithRun } from '../cli/testing';

const PYTHON = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';
const COUNT = 200;
const python = (code: string) => spawnSync(PYTHON, ['-c', code], { cwd: join(repo, 'apps', 'python'), encoding: 'utf8' });
const skip = python('import numpy').status === 0 ? false : `needs ${PYTHON} with numpy (apt-get install python3-numpy)`;
// onnxruntime for Python is not in Debian, and Debian's python3-onnx 1.12 predates onnx.reference (1.13).
const runtime = python('import onnxruntime').status === 0 || python('import onnx.reference').status === 0;
const skipRun = skip || (runtime ? false : `no ONNX runtime for ${PYTHON}: onnxruntime is not in Debian and python3-onnx ${python('import onnx; print(onnx.__version__)').stdout.trim() || '(absent)'} has no onnx.reference`);

let root: string;
let dir: string;
let model: string;
let testFile: string;
let expected: number[];
let prepared: Float32Array;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-python-'));
  dir = workspaceWithRun(join(root, 'ws'), 'small', QUICK_SMALL_PIPELINE);
  model = join(dir, 'artifacts', 'small', 'evaluate', 'model.onnx');
  testFile = locateSource({ source: 'mnist' }, { workspace: dir }).files['test-images'];
  const loaded = loadDataset(loadPipeline(join(dir, 'pipelines', 'small.yaml')).config.dataset, { workspace: dir });
  prepared = loaded.test.images.slice(0, COUNT * 32 * 32);
  expected = await predict(prepared);
});

after(() => root && rmSync(root, { recursive: true, force: true }));

async function predict(images: Float32Array): Promise<number[]> {
  const session = await ort.InferenceSession.create(model);
  const logits = (await session.run({ input: new ort.Tensor('float32', images, [COUNT, 1, 32, 32]) })).logits.data as Float32Array;
  await session.release();
  return Array.from({ length: COUNT }, (_, i) => {
    const row = Array.from(logits.subarray(i * 10, (i + 1) * 10));
    return row.indexOf(Math.max(...row));
  });
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
  assert.deepEqual(await predict(fromPython), expected);
});

test('the example predicts the first 200 test images as onnxruntime-node does', { skip: skipRun }, () => {
  const r = spawnSync(PYTHON, [join(repo, 'apps', 'python', 'classify.py'), model, testFile, String(COUNT)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const classes = r.stdout.trim().split('\n').map((line) => Number(line.split(' ')[1]));
  assert.deepEqual(classes, expected);
});

test("README's Python example is classify.py's preprocess, word for word", () => {
  const source = readFileSync(join(repo, 'apps', 'python', 'classify.py'), 'utf8');
  const fn = source.slice(source.indexOf('def preprocess(raw, card):'), source.indexOf('\n\n\ndef run('));
  assert.ok(fn.length > 200 && readFileSync(join(repo, 'README.md'), 'utf8').includes(`\`\`\`python\n${fn}\n\`\`\``));
});
