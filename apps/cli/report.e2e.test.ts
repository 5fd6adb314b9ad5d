/**
 * report.html of a real small sweep (two variants, one of them `baseline`, × two learning rates × two
 * seeds, every stage run by the CLI) in Debian's chromium, headless, through puppeteer-core: opened from
 * disk with every request that is not a file refused. The screenshots go to artifacts/screenshots/.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { CHARTS_DRAWN, openPage, skipWithoutChromium as skip } from '../../libs/report/testing';
import { repo, SMALL_PIPELINE, workspaceWithRun } from './testing';
const SCREENSHOTS = join(repo, 'artifacts', 'screenshots');

const PIPELINE = `${SMALL_PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 600, test: 300 }').replace(/charts:\n.*\n/, '')}
variants:
  baseline: {}
  l2: { training: { l2: 0.01 } }
matrix:
  training.learning-rate: [0.002, 0.01]
seeds: [1, 2]
`;

let root: string;
let dir: string;
let browser: Browser;
let page: Page;
let problems: string[];
let refused: string[];

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'trainyard-report-'));
  dir = workspaceWithRun(join(root, 'ws'), 'sweep', PIPELINE);
  ({ browser, page, problems, refused } = await openPage(`file://${join(dir, 'artifacts', 'sweep', 'charts', 'report.html')}`, { allowed: (url) => url.startsWith('file:'), width: 1200, height: 900 }));
  await page.waitForFunction(CHARTS_DRAWN, { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Run ids: the variant, the learning rate's index, the seed's (`baseline-m0-s0`). */
const GROUPS = ['baseline-m0', 'baseline-m1', 'l2-m0', 'l2-m1'];
const metrics = (id: string) => JSON.parse(readFileSync(join(dir, 'artifacts', 'sweep', `evaluate-${id}`, 'metrics.json'), 'utf8')) as { accuracy: number };

test("a sweep's report.html draws every chart live, with no network and no error, and saves screenshots", { skip }, async () => {
  const titles = await page.$$eval('h3', (hs) => hs.map((h) => h.textContent));
  for (const chart of ['The sweep', 'Loss per epoch', 'Test accuracy', 'Confusion matrix', 'Misclassified test images', 'What the model learned']) {
    assert.ok(titles.some((t) => t?.startsWith(chart)), `${chart} in ${titles.join(' | ')}`);
  }
  assert.equal(await page.$$eval('.chart svg.marks', (svgs) => svgs.length), await page.$$eval('.chart', (c) => c.length));
  assert.deepEqual(refused, [], 'no request leaves the disk');
  assert.deepEqual(problems, []);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'report-top.png') });
  // The map is the last chart.
  await (await page.$$('.chart')).at(-1)!.screenshot({ path: join(SCREENSHOTS, 'report-features.png') });
});

test("the leaderboard's best row is the best mean test accuracy of metrics.json", { skip }, async () => {
  // A row is a variant × learning rate, over its two seeds.
  const means = GROUPS.map((g) => (metrics(`${g}-s0`).accuracy + metrics(`${g}-s1`).accuracy) / 2);
  const best = Math.max(...means);
  const row = await page.$$eval('table tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')).find((cells) => cells[0] === '★'));
  assert.ok(row, 'a row marked ★');
  assert.ok(row.some((c) => c.startsWith(`${(100 * best).toFixed(2)}%`)), `★ row ${row.join(' | ')} against ${(100 * best).toFixed(2)}%`);
});

test("the features map shows the best run's test images, and the baseline's where it is not the best", { skip }, async () => {
  const file = JSON.parse(readFileSync(join(dir, 'artifacts', 'sweep', 'features', 'features.json'), 'utf8')) as { maps: { run: string; role: string; x: number[] }[] };
  const ids = GROUPS.flatMap((g) => [`${g}-s0`, `${g}-s1`]);
  const bestId = ids.reduce((a, b) => (metrics(b).accuracy > metrics(a).accuracy ? b : a));
  assert.equal(file.maps[0].run, bestId);
  assert.equal(file.maps[0].x.length, 300, 'the first 300 test images: all of this small test split');
  assert.equal(file.maps.length, bestId.startsWith('baseline-') ? 1 : 2);
  if (file.maps[1]) assert.deepEqual([file.maps[1].role, file.maps[1].run.startsWith('baseline-')], ['baseline', true]);
  const points = await page.$$eval('.chart', (charts) => charts.at(-1)!.querySelectorAll('path[aria-roledescription="point"], path[aria-roledescription="circle"]').length);
  assert.equal(points, 300 * file.maps.length);
});

test('a click on a class in the map legend picks out its images and fades the others', { skip }, async () => {
  const marks = "document.querySelectorAll('.chart')[document.querySelectorAll('.chart').length - 1].querySelectorAll('path[aria-roledescription=\"circle\"]')";
  const opacities = async () => (await page.evaluate(`[...${marks}].map((p) => Number(p.getAttribute('opacity') ?? p.getAttribute('fill-opacity') ?? 1))`)) as number[];
  assert.ok((await opacities()).every((o) => o > 0.5), 'every class at first');
  const labels = await page.$$('.chart:last-of-type g.role-legend-label text');
  const texts = await Promise.all(labels.map((l) => l.evaluate((e) => e.textContent)));
  await labels[texts.indexOf('3')].click();
  await page.waitForFunction(`[...${marks}].some((p) => Number(p.getAttribute('opacity') ?? p.getAttribute('fill-opacity')) < 0.1)`, { timeout: 5000 });
  const after = await opacities();
  assert.ok(after.some((o) => o > 0.5) && after.filter((o) => o < 0.1).length > after.length / 2, 'class 3 kept, most faded');
  assert.deepEqual(problems, []);
});
