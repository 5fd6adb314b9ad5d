/**
 * report.html in a real browser: Debian's chromium, headless, driven by puppeteer-core (no browser
 * download). The page is opened from disk with every request that is not a file refused, as on a
 * machine without network.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { writeCharts } from '../../charts';
import { syntheticRun } from '../../charts/testing';
import { writeReport } from '../index';
import { CHARTS_DRAWN, openPage, skipWithoutChromium as skip } from '../testing';

let dir: string;
let browser: Browser;
let page: Page;
let problems: string[];
let refused: string[];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'trainyard-html-'));
  const runs = [
    syntheticRun({ name: 'lr=0.01, seed=1', group: 'lr=0.01', seed: 1 }),
    syntheticRun({ name: 'lr=0.01, seed=2', group: 'lr=0.01', seed: 2, offset: 0.01 }),
    syntheticRun({ name: 'lr=0.1, seed=1', group: 'lr=0.1', seed: 1, offset: 0.05 }),
  ];
  await writeCharts(runs, { include: ['loss', 'accuracy', 'test-accuracy', 'confusion'] }, dir);
  writeReport({ pipeline: 'demo', description: 'A sweep <script>alert(1)</script>', runs, chartsDir: dir }, dir);
  ({ browser, page, problems, refused } = await openPage(`file://${join(dir, 'report.html')}`, { allowed: (url) => url.startsWith('file:'), width: 1200, height: 900 }));
  await page.waitForFunction(CHARTS_DRAWN, { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('report.html opened from disk draws every chart live, with no network and no error', { skip }, async () => {
  assert.equal(await page.$$eval('.chart svg.marks', (svgs) => svgs.length), 4);
  assert.deepEqual(refused, [], 'no request leaves the disk');
  assert.deepEqual(problems, []);
  // The order of the page: leaderboard, charts, then each run folded.
  const headings = await page.$$eval('h2, summary', (els) => els.map((e) => e.textContent));
  assert.deepEqual(headings, ['Leaderboard', 'Charts', 'Runs', 'Run lr=0.01, seed=1', 'Run lr=0.01, seed=2', 'Run lr=0.1, seed=1']);
  assert.equal(await page.$$eval('details[open]', (d) => d.length), 0, 'run details start folded');
  assert.equal(await page.$eval('p', (p) => p.textContent), 'A sweep <script>alert(1)</script>', 'markup in a description is shown, not run');
  const path = join(dir, 'report-top.png');
  await page.screenshot({ path });
});

test('a mark shows its values in a tooltip on hover', { skip }, async () => {
  const point = await page.$('#chart-0 path[aria-roledescription="point"]');
  assert.ok(point, 'the loss chart has point marks');
  await point.hover();
  await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5000 });
  const text = await page.$eval('#vg-tooltip-element', (t) => t.textContent ?? '');
  // The point's epoch, its value (the mean over the group's seeds) under the axis title, its group and split.
  assert.match(text, /^Epoch1Cross-entropy loss \(nats\)0\.\d+Grouplr=0\.0?1split(train|validation)$/);
});

test('a click on a legend entry keeps its runs and fades the others', { skip }, async () => {
  const opacities = () => page.$$eval('#chart-0 path[aria-roledescription="line mark"]', (lines) => lines.map((l) => Number(l.getAttribute('opacity') ?? l.getAttribute('stroke-opacity') ?? 1)));
  assert.ok((await opacities()).every((o) => o === 1), 'all runs at first');
  const labels = await page.$$('#chart-0 g.role-legend-label text');
  const texts = await Promise.all(labels.map((l) => l.evaluate((e) => e.textContent)));
  const entry = labels[texts.indexOf('lr=0.1')];
  assert.ok(entry, `the group legend has lr=0.1 (labels: ${texts.join(', ')})`);
  await entry.click();
  await page.waitForFunction(`[...document.querySelectorAll('#chart-0 path[aria-roledescription="line mark"]')].some((l) => Number(l.getAttribute('opacity') ?? l.getAttribute('stroke-opacity')) < 1)`, { timeout: 5000 });
  const after = await opacities();
  assert.ok(after.some((o) => o === 1) && after.some((o) => o < 1), JSON.stringify(after));
});
