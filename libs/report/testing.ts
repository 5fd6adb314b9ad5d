/** Test support: a page in Debian's chromium, headless, through puppeteer-core (no browser download). */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.TRAINYARD_CHROMIUM ?? '/usr/bin/chromium';

/** False when chromium is there, else why the browser tests are skipped. */
export const skipWithoutChromium: false | string = existsSync(CHROMIUM) ? false : `needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`;

export interface OpenPage {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and dialogs, as they come. */
  problems: string[];
  /** Requests refused because `allowed` said no: none should be made. */
  refused: string[];
}

/** Opens `url` with every request `allowed` refuses aborted and recorded, and every error collected. */
export async function openPage(url: string, o: { allowed: (url: string) => boolean; width: number; height: number }): Promise<OpenPage> {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const problems: string[] = [];
  const refused: string[] = [];
  await page.setViewport({ width: o.width, height: o.height });
  await page.setRequestInterception(true);
  page.on('request', (r) => (o.allowed(r.url()) ? r.continue() : (refused.push(r.url()), r.abort())));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', (d) => (problems.push(`a dialog opened: ${d.message()}`), d.dismiss()));
  await page.goto(url, { waitUntil: 'load' });
  return { browser, page, problems, refused };
}

/** Resolves when every chart of a report page has drawn its marks (a string: it runs in the page, and this project's TypeScript has no DOM types). */
export const CHARTS_DRAWN = "document.querySelectorAll('.chart svg.marks').length === document.querySelectorAll('.chart').length";
