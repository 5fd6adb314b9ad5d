import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults, type Charts } from '../../pipeline-schema';
import { renderChart } from './render';
import { CHARTS } from './registry';
import type { ChartRun } from './types';

/**
 * For each included kind, in order: `<kind>.vl.json` (the spec, to re-render or edit), then
 * `<kind>.svg` and `<kind>.png` as configured (omitted settings take the schema's defaults).
 * Returns the paths written, in that order.
 * Every spec is built before anything is written, so bad input leaves no partial set behind.
 */
export async function writeCharts(runs: ChartRun[], charts: Charts, outDir: string): Promise<string[]> {
  // the schema gives every field a default, so after withDefaults none is missing
  const { include, formats, scale } = withDefaults('Charts', charts) as Required<Charts>;
  const specs = include.filter((kind) => CHARTS[kind].applies(runs)).map((kind) => ({ kind, spec: CHARTS[kind].spec(runs) }));
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (file: string, data: string | Uint8Array) => {
    const path = join(outDir, file);
    writeFileSync(path, data);
    written.push(path);
  };
  for (const { kind, spec } of specs) {
    write(`${kind}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
    const out = await renderChart(spec, { formats, scale });
    if (out.svg !== undefined) write(`${kind}.svg`, out.svg);
    if (out.png !== undefined) write(`${kind}.png`, out.png);
  }
  return written;
}
