/**
 * The model page as a user gets it: `npm run web` (sirv) on a free 127.0.0.1 port over a small pipeline's
 * exported model, opened in Debian's chromium through puppeteer-core. The first 200 test images go through
 * the page's own preprocessing (model.json's steps) and onnxruntime-web; onnxruntime-node must predict the
 * same on the images as the data stage prepared them. A stroke drawn with the mouse must give probabilities.
 * In the page, preprocess.js's grayscale, resize and center-crop steps give the reference's values
 * (apps/python/testing.ts, OpenCV's calls), and a dropped photo of another size goes through model cards made
 * by hand with them to onnxruntime-node's answer.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import * as ort from 'onnxruntime-node';
import type { Browser, Page } from 'puppeteer-core';
import type { ModelCard } from '../../libs/artifacts';
import { loadDataset } from '../../libs/data';
import { locateSource, readIdx } from '../../libs/data/testing';
import { loadPipeline } from '../../libs/pipeline-file';
import { openPage, skipWithoutChromium as skip } from '../../libs/report/testing';
import { modelFixture, repo } from '../cli/testing';
import { maxDifference, reference, skipWithoutReference, STEP_CASES, STEP_TOLERANCE, stepsCard, stepsModels, type StepsModel } from '../python/testing';
import { preprocess, softmax } from './preprocess.js';

const SCREENSHOTS = join(repo, 'artifacts', 'screenshots');
const COUNT = 200;
/** A run of a sweep as its label names it: every setting the sweep changed, far longer than the page's old 280-pixel list. */
const LONG_LABEL = 'dropout, training.learning-rate=0.002, training.batch-size=64, training.weight-decay=0.0001';

let root: string;
let dir: string;
let server: ChildProcess | undefined;
let address: string;
let browser: Browser;
let page: Page;
let problems: string[];
let offsite: string[];
let cards: StepsModel[];

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-web-e2e-'));
  const fixture = await modelFixture(root, COUNT);
  dir = fixture.dir;
  if (!skipWithoutReference) cards = await stepsModels(root, fixture);
  // The same model again as a run of a sweep with a long label, listed after the small pipeline's.
  const evaluate = join(dir, 'artifacts', 'small', 'evaluate');
  const sweep = join(dir, 'artifacts', 'sweep-demo', 'evaluate-m1');
  mkdirSync(sweep, { recursive: true });
  copyFileSync(join(evaluate, 'model.onnx'), join(sweep, 'model.onnx'));
  const small = JSON.parse(readFileSync(join(evaluate, 'model.json'), 'utf8')) as ModelCard;
  writeFileSync(join(sweep, 'model.json'), JSON.stringify({ ...small, pipeline: 'sweep-demo', run: 'm1', label: LONG_LABEL }));
  if (skip) return;
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', 'apps/web/serve.ts'], { cwd: dir, env: { ...process.env, TRAINYARD_WEB_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  address = await new Promise<string>((done, fail) => {
    let out = '';
    server!.stdout!.on('data', (d) => {
      out += d;
      const url = /model page: (http:\/\/\S+)/.exec(out)?.[1];
      if (url) done(url);
    });
    server!.on('exit', (code) => fail(new Error(`npm run web ended (${code}): ${out}`)));
  });
  ({ browser, page, problems, refused: offsite } = await openPage(address, { allowed: (url) => url.startsWith('http://127.0.0.1:'), width: 1100, height: 720 }));
  await page.evaluate('window.trainyard.ready');
});

after(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  if (root) rmSync(root, { recursive: true, force: true });
});

const card = () => JSON.parse(readFileSync(join(dir, 'artifacts', 'small', 'evaluate', 'model.json'), 'utf8')) as ModelCard;

/** The first test images as the MNIST test file stores them, and as the data stage prepared them. */
async function testImages(): Promise<{ raw: Uint8Array; prepared: Float32Array; dims: number[] }> {
  const file = locateSource({ source: 'mnist' }, { workspace: dir }).files['test-images'];
  const raw = readIdx(file, 'images').data.subarray(0, COUNT * 28 * 28) as Uint8Array;
  const loaded = await loadDataset(loadPipeline(join(dir, 'pipelines', 'small.yaml')).config.dataset, { workspace: dir });
  const size = loaded.imageShape.reduce((a, b) => a * b, 1);
  return { raw: Uint8Array.from(raw), prepared: loaded.test.images.subarray(0, COUNT * size), dims: [COUNT, ...loaded.imageShape] };
}

test("model.json's steps turn the raw test images into the very numbers the data stage fed the model", async () => {
  const { raw, prepared } = await testImages();
  const c = card();
  const size = 28 * 28;
  const viaCard = new Float32Array(prepared.length);
  for (let i = 0; i < COUNT; i++) viaCard.set(preprocess(raw.subarray(i * size, (i + 1) * size), c), (i * prepared.length) / COUNT);
  assert.deepEqual(Buffer.from(viaCard.buffer), Buffer.from(prepared.buffer.slice(prepared.byteOffset, prepared.byteOffset + prepared.byteLength)));
});

test('the page predicts the first 200 test images as onnxruntime-node does, with no request off 127.0.0.1', { skip }, async () => {
  const { raw, prepared, dims } = await testImages();
  const session = await ort.InferenceSession.create(join(dir, 'artifacts', 'small', 'evaluate', 'model.onnx'));
  const logits = (await session.run({ input: new ort.Tensor('float32', prepared, dims) })).logits.data as Float32Array;
  await session.release();
  const expected = Array.from({ length: COUNT }, (_, i) => {
    const row = Array.from(logits.subarray(i * 10, (i + 1) * 10));
    return row.indexOf(Math.max(...row));
  });
  const got = (await page.evaluate(`window.trainyard.classify(Uint8Array.from(${JSON.stringify(Array.from(raw))}), ${COUNT})`)) as number[];
  assert.deepEqual(got, expected);
  assert.deepEqual(offsite, []);
  assert.deepEqual(problems, []);
});

test('a stroke drawn with the mouse shows a prediction and a probability per class; screenshot saved', { skip }, async () => {
  const box = (await (await page.$('#canvas'))!.boundingBox())!;
  // A "7": across the top, then down to the left.
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  for (const [x, y] of [[0.5, 0.2], [0.75, 0.2], [0.6, 0.5], [0.45, 0.85]]) await page.mouse.move(...at(x, y), { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction("document.getElementById('prediction').textContent !== '–'", { timeout: 10_000 });
  const rows = (await page.$$eval('#probabilities li .value', (cells) => cells.map((c) => c.textContent ?? ''))) as string[];
  assert.equal(rows.length, 10);
  const percents = rows.map((r) => Number(/^([\d.]+)%$/.exec(r)?.[1]));
  assert.ok(Math.abs(percents.reduce((a, b) => a + b, 0) - 100) < 1, `probabilities add up to 100%: ${rows.join(' | ')}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'web.png') });
  assert.deepEqual(problems, []);
});

test('a .onnx with its model.json, then an image, given through the file input: the model loads and the image is classified', { skip }, async () => {
  const evaluate = join(dir, 'artifacts', 'small', 'evaluate');
  // A white vertical bar on black, as a PNG: a "1" to the eye.
  const png = join(root, 'one.png');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><rect width="56" height="56" fill="black"/><rect x="24" y="8" width="8" height="40" fill="white"/></svg>';
  writeFileSync(png, new Resvg(svg).render().asPng());
  await page.click('#clear');
  const input = await page.$('#files');
  await input!.uploadFile(join(evaluate, 'model.onnx'), join(evaluate, 'model.json'));
  await page.waitForFunction("document.getElementById('status').textContent === 'model.onnx loaded'", { timeout: 10_000 });
  await input!.uploadFile(png);
  await page.waitForFunction("document.getElementById('prediction').textContent !== '–'", { timeout: 10_000 });
  const shown = (await page.$$eval('#probabilities li .value', (cells) => cells.map((c) => c.textContent ?? ''))) as string[];
  assert.equal(shown.length, 10);
  assert.deepEqual(problems, []);
});

test("the model list shows each run's settings whole: the list is as wide as its longest entry, which its title repeats, and the chosen run is spelled out below it; screenshot saved", { skip }, async () => {
  // Text widths in the list's own font, against the room inside it (a string: it runs in the page, and this project's TypeScript has no DOM types).
  const list = (await page.evaluate(`(() => {
    const select = document.getElementById('models');
    const style = getComputedStyle(select);
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = style.fontStyle + ' ' + style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const inPage = select.getBoundingClientRect().right <= document.documentElement.clientWidth;
    return [...select.options].map((o) => ({ text: o.text, title: o.title, width: pen.measureText(o.text).width, room, inPage }));
  })()`)) as { text: string; title: string; width: number; room: number; inPage: boolean }[];
  assert.equal(list.length, 2);
  assert.ok(list[0].inPage, 'the list stays within the page');
  assert.match(list[0].text, /^small \(\d+\.\d\d%\)$/);
  assert.ok(list[1].text.startsWith(`sweep-demo · ${LONG_LABEL} (`), list[1].text);
  for (const o of list) assert.ok(o.width <= o.room, `'${o.text}' is ${Math.round(o.width)} pixels wide, the list has room for ${Math.round(o.room)}`);
  for (const o of list) assert.equal(o.title, o.text);
  await page.evaluate('window.trainyard.pick(1)');
  await page.waitForFunction("document.getElementById('status').textContent === 'sweep-demo m1 loaded'", { timeout: 10_000 });
  assert.equal(await page.$eval('#model-info .run', (e) => e.textContent), `sweep-demo, run m1: ${LONG_LABEL}`);
  assert.equal(await page.$eval('#models', (e) => e.getAttribute('title')), list[1].text);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'web-models.png') });
  assert.deepEqual(problems, []);
});

test("the page's grayscale, resize of every fit and center-crop give the reference's values within 1e-5", { skip: skip || skipWithoutReference }, async () => {
  const wanted = reference(STEP_CASES.map((c) => ({ image: c.image, channels: 3, steps: c.steps })));
  const jobs = STEP_CASES.map((c, i) => ({ raw: Array.from(c.image.pixels), size: [c.image.rows, c.image.columns], card: stepsCard(card(), 3, c.steps, wanted[i].shape, ['a', 'b']) }));
  const got = (await page.evaluate(`import(new URL('preprocess.js', location.href).href).then((m) =>
    ${JSON.stringify(jobs)}.map((j) => Array.from(m.preprocess(Uint8Array.from(j.raw), j.card, j.size))))`)) as number[][];
  STEP_CASES.forEach((c, i) => {
    const diff = maxDifference(got[i], wanted[i].values);
    assert.ok(diff <= STEP_TOLERANCE, `${c.name}: ${diff} from the reference`);
  });
  assert.deepEqual(problems, []);
});

test("a dropped RGB photo 54 wide and 40 high, read at its own size through cards of contain (RGB) and cover (one channel), gets onnxruntime-node's probabilities on the reference's preparation; screenshot saved", { skip: skip || skipWithoutReference }, async () => {
  const input = (await page.$('#files'))!;
  for (const c of cards.filter((m) => m.name !== 'stretch')) {
    await page.click('#clear');
    await page.evaluate("document.getElementById('status').textContent = ''");
    await input.uploadFile(c.model, join(c.model, '..', 'model.json'));
    await page.waitForFunction("document.getElementById('status').textContent === 'model.onnx loaded'", { timeout: 10_000 });
    await input.uploadFile(c.photo);
    await page.waitForFunction("document.getElementById('prediction').textContent !== '–'", { timeout: 10_000 });
    assert.equal(await page.$eval('#prediction', (e) => e.textContent), c.card.classes[c.expected.predicted[0]], c.name);
    const shown = (await page.$$eval('#probabilities li .value', (cells) => cells.map((e) => e.textContent ?? ''))) as string[];
    const wanted = softmax(c.expected.logits[0]);
    // The page shows one decimal of a percent.
    shown.forEach((text, k) => assert.ok(Math.abs(Number(text.replace('%', '')) - 100 * wanted[k]) <= 0.051, `${c.name}, class ${k}: ${text} against ${(100 * wanted[k]).toFixed(3)}%`));
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'web-photo.png') });
  assert.deepEqual(problems, []);
});
