/**
 * Real image files through every stage via Nx: MNIST digits written as a PNG folder, a JPEG folder of three
 * channels with train/ and test/, and a CSV; the model card's steps and source shape; the data stage's key
 * following the files (an edit re-runs it and what reads it, an untouched folder replays without decoding);
 * bad input stopping with one line and nothing written; and a folder of 100,000 files.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ModelCard } from '../../libs/artifacts';
import { writeMnistImages } from '../../libs/data/testing';
import { copyWorkspace, IMAGE_STAGES as STAGES, imagePipeline as pipeline, nx, stagesRun } from './testing';

const PIPELINES = {
  'own-png': pipeline(
    `  source: folder
  path: data/png
  channels: 1
  test: 0.25
  transforms:
    - { type: resize, to: 32 }
    - { type: normalize, mean: 0.13, std: 0.31 }`,
    '[1, 32, 32]',
  ),
  'own-jpeg': pipeline(
    `  source: folder
  path: data/jpeg
  channels: 3
  transforms:
    - { type: center-crop, to: 24 }
    - { type: resize, to: [20, 28], fit: contain, value: 0 }`,
    '[3, 20, 28]',
  ),
  'own-csv': pipeline(
    `  source: csv
  path: data/csv/digits.csv
  channels: 1
  columns: { path: file, label: digit, split: split }
  transforms:
    - { type: pad, to: 32 }`,
    '[1, 32, 32]',
  ),
};

let root: string;
let dir: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-images-e2e-'));
  dir = copyWorkspace(join(root, 'ws'), { pipelines: false });
  await writeMnistImages(join(dir, 'data', 'png'), { format: 'png', channels: 1, layout: 'folder', perClass: 40, digits: [3, 8] });
  await writeMnistImages(join(dir, 'data', 'jpeg'), { format: 'jpeg', channels: 3, layout: 'split', perClass: 30, digits: [1, 7] });
  await writeMnistImages(join(dir, 'data', 'csv'), { format: 'png', channels: 1, layout: 'csv', perClass: 30, digits: [0, 6] });
  for (const [name, text] of Object.entries(PIPELINES)) writeFileSync(join(dir, 'pipelines', `${name}.yaml`), text);
});

after(() => rmSync(root, { recursive: true, force: true }));

function runAll(): string {
  const { status, output } = nx(dir, ['run-many', '-p', 'pipeline', '-t', Object.keys(PIPELINES).join(',')]);
  assert.equal(status, 0, output);
  return output;
}

const card = (name: string) => JSON.parse(readFileSync(join(dir, 'artifacts', name, 'evaluate', 'model.json'), 'utf8')) as ModelCard;

test('PNG, three-channel JPEG and CSV datasets run through every stage; the model card holds their steps and source shape', () => {
  const output = runAll();
  for (const name of Object.keys(PIPELINES)) assert.deepEqual(stagesRun(output, name).ran, STAGES, `${name}:\n${output}`);
  assert.match(output, /^decoded 80 images in [\d.]+ s/m, 'the data stage says what it decoded');
  assert.deepEqual(card('own-png').preprocessing, {
    source: { shape: [1, 28, 28], layout: 'HWC', dtype: 'uint8' },
    steps: [{ type: 'scale', divide: 255 }, { type: 'resize', height: 32, width: 32, fit: 'stretch', value: 0 }, { type: 'normalize', mean: 0.13, std: 0.31 }],
  });
  assert.deepEqual(card('own-png').classes, ['3', '8']);
  assert.deepEqual(card('own-jpeg').preprocessing, {
    source: { shape: [3, 28, 28], layout: 'HWC', dtype: 'uint8' },
    steps: [{ type: 'scale', divide: 255 }, { type: 'center-crop', height: 24, width: 24 }, { type: 'resize', height: 20, width: 28, fit: 'contain', value: 0 }],
  });
  assert.deepEqual(card('own-jpeg').input.shape, ['batch', 3, 20, 28]);
  assert.equal(card('own-jpeg').metrics.test.samples, 60, "the test/ folder's 2 x 30 images");
  assert.deepEqual(card('own-csv').preprocessing.steps, [{ type: 'scale', divide: 255 }, { type: 'pad', top: 2, bottom: 2, left: 2, right: 2, value: 0 }]);
  const manifest = JSON.parse(readFileSync(join(dir, 'artifacts', 'own-csv', 'data', 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.files.map((f: { role: string; path: string }) => [f.role, f.path]), [['csv', 'data/csv/digits.csv'], ['images', 'data/csv']]);
});

test('an untouched folder replays every stage without decoding; editing, adding or removing one image re-runs its pipeline from data', () => {
  const replay = runAll();
  // Every stage from the cache: no stage process started, so no file was decoded.
  for (const name of Object.keys(PIPELINES)) assert.deepEqual(stagesRun(replay, name), { ran: [], cached: STAGES }, replay);

  const png = join(dir, 'data', 'png');
  // Touched, and written again with the same bytes (a fresh checkout, a copy): the same files, nothing runs.
  for (const c of ['3', '8']) for (const name of sortedNames(join(png, c))) utimesSync(join(png, c, name), new Date(), new Date());
  const rewritten = join(png, '3', sortedNames(join(png, '3'))[1]);
  writeFileSync(rewritten, readFileSync(rewritten));
  const touched = runAll();
  for (const name of Object.keys(PIPELINES)) assert.deepEqual(stagesRun(touched, name), { ran: [], cached: STAGES }, touched);

  const [a, b] = ['3', '8'].map((c) => join(png, c, sortedNames(join(png, c))[0]));
  copyFileSync(b, a); // an 8 where a 3 was
  let output = runAll();
  assert.deepEqual(stagesRun(output, 'own-png').ran, STAGES, output);
  assert.deepEqual(stagesRun(output, 'own-jpeg').ran, []);
  assert.deepEqual(stagesRun(output, 'own-csv').ran, []);

  copyFileSync(b, join(png, '8', 'added.png'));
  output = runAll();
  assert.deepEqual(stagesRun(output, 'own-png').ran, STAGES, output);
  rmSync(join(png, '8', 'added.png'));
  output = runAll();
  assert.deepEqual(stagesRun(output, 'own-png').cached, STAGES, 'back to the files of the run before: its results, from the cache');
  rmSync(join(png, '3', sortedNames(join(png, '3'))[1]));
  output = runAll();
  assert.deepEqual(stagesRun(output, 'own-png').ran, STAGES, output);

  const csv = join(dir, 'data', 'csv', 'digits.csv');
  const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
  writeFileSync(csv, [...rows.slice(0, -1)].join('\n') + '\n'); // one test row fewer
  output = runAll();
  assert.deepEqual(stagesRun(output, 'own-csv').ran, STAGES, output);
});

test("results: after an image is edited, the runs made from the files before are left out, until the pipeline runs again", () => {
  const results = () => spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'results', 'pipelines/own-png.yaml', '--json'], { cwd: dir, encoding: 'utf8' });
  let r = results();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const png = join(dir, 'data', 'png');
  const [a, b] = ['3', '8'].map((c) => join(png, c, sortedNames(join(png, c))[2]));
  copyFileSync(b, a);
  r = results();
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, '', 'no figures of other files');
  assert.equal(
    r.stderr,
    "pipelines/own-png.yaml: left out 1 run of 1 (default): artifacts/own-png holds results made before the files of data/png changed (an image added, removed or edited); npx nx run pipeline:own-png brings this configuration's\n",
  );
  const output = runAll();
  assert.deepEqual(stagesRun(output, 'own-png').ran, STAGES, output);
  r = results();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'the results of the files now');
  assert.equal(JSON.parse(readFileSync(join(dir, 'artifacts', 'own-png', 'evaluate', 'stage.json'), 'utf8')).files.data, JSON.parse(readFileSync(join(dir, 'artifacts', 'own-png', 'data', 'stage.json'), 'utf8')).files.data);
});

test('a truncated image stops the data stage with one line naming it, and leaves nothing in artifacts/', () => {
  const name = 'own-bad';
  const bad = join(dir, 'data', 'bad');
  for (const c of ['x', 'y']) mkdirSync(join(bad, c), { recursive: true });
  copyFileSync(join(dir, 'data', 'csv', 'images', sortedNames(join(dir, 'data', 'csv', 'images'))[0]), join(bad, 'x', '1.png'));
  copyFileSync(join(bad, 'x', '1.png'), join(bad, 'y', '1.png'));
  copyFileSync(join(bad, 'x', '1.png'), join(bad, 'y', '2.png'));
  truncateSync(join(bad, 'y', '2.png'), 60);
  writeFileSync(join(dir, 'pipelines', `${name}.yaml`), PIPELINES['own-png'].replace('data/png', 'data/bad').replace('test: 0.25', 'test: 0.34'));
  const { status, output } = nx(dir, ['run', `pipeline:${name}`]);
  assert.equal(status, 1, output);
  const lines = output.split('\n').filter((l) => l.includes('2.png'));
  assert.deepEqual(lines, [`${join(bad, 'y', '2.png')}: a damaged or truncated image (${lines[0]?.split(' (')[1]}`], output);
  assert.ok(!existsSync(join(dir, 'artifacts', name)), 'nothing written');
  rmSync(join(dir, 'pipelines', `${name}.yaml`));
});

test('a folder of 100,000 tiny files: listed, decoded with progress lines, split', () => {
  const big = join(root, 'big');
  const pngs = ['x', 'y'].map((c) => readFileSync(join(dir, 'data', 'png', c === 'x' ? '3' : '8', sortedNames(join(dir, 'data', 'png', c === 'x' ? '3' : '8'))[0])));
  for (const c of [0, 1]) mkdirSync(join(big, String(c)), { recursive: true });
  for (let i = 0; i < 100_000; i++) writeFileSync(join(big, String(i % 2), `${String(i).padStart(6, '0')}.png`), pngs[i % 2]);
  writeFileSync(join(dir, 'pipelines', 'own-big.yaml'), PIPELINES['own-png'].replace('data/png', big).replace('test: 0.25', 'test: 0.1'));
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/cli/main.ts', 'stage', 'pipelines/own-big.yaml', 'data'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^decoding images: 25,000\/100,000 \(/m);
  assert.match(r.stdout, /^decoded 100,000 images in /m);
  assert.match(r.stdout, /^folder: 81000 train, 9000 validation, 10000 test images of 1x32x32/m);
  console.log(`# 100,000 files: data stage in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function sortedNames(folder: string): string[] {
  return readdirSync(folder).sort();
}
