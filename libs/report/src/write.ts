import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CHART_KINDS, chartCaption } from '../../charts';
import { copyVendorScripts, renderHtml } from './html';
import { renderReport } from './report';
import type { ChartLink, ReportInput } from './types';

/**
 * Writes `<outDir>/report.md` (for GitHub and any Markdown viewer) and `<outDir>/report.html` (the same
 * report with live charts, opened from disk; its scripts in `<outDir>/vendor/`). Returns the Markdown's path.
 */
export function writeReport(input: ReportInput, outDir: string): string {
  const charts = input.chartsDir === undefined ? [] : findCharts(input.chartsDir, outDir);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'report.md');
  const markdown = renderReport(input, charts);
  writeFileSync(path, markdown);
  const scripts = copyVendorScripts(outDir);
  writeFileSync(join(outDir, 'report.html'), renderHtml(markdown, input.pipeline, outDir, scripts));
  return path;
}

/** The charts present in `chartsDir`, in kind order: the PNG, or the SVG when only that was written. */
export function findCharts(chartsDir: string, reportDir: string): ChartLink[] {
  const links: ChartLink[] = [];
  for (const kind of CHART_KINDS) {
    const file = [`${kind}.png`, `${kind}.svg`].map((f) => join(chartsDir, f)).find((p) => existsSync(p));
    // Markdown links use '/' whatever the platform.
    if (file) links.push({ title: chartCaption(kind), href: relative(reportDir, file).split(sep).join('/') });
  }
  return links;
}
