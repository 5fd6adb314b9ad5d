import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults, type Charts } from '../../pipeline-schema';
import { renderChart } from './render';
import { hasSchedule } from './kinds/learning-rate';
import { hasMisclassified } from './kinds/misclassified';
import { hasFeatures } from './kinds/features';
import { sweptKeys } from './kinds/sweep';
import { chartSpec } from './spec';
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
  // Per-epoch curves need an epoch: a pipeline whose every run diverged in its first epoch gets the other charts.
  const noCurves = runs.every((r) => r.history.epochs.length === 0);
  // The sweep chart needs runs that vary something besides their seed, the learning-rate chart a schedule.
  const skip = new Set([...(noCurves ? ['loss', 'accuracy', 'learning-rate'] : []), ...(sweptKeys(runs).length ? [] : ['sweep']), ...(hasSchedule(runs) ? [] : ['learning-rate']), ...(hasMisclassified(runs) ? [] : ['misclassified']), ...(hasFeatures(runs) ? [] : ['features'])]);
  const specs = include
    .filter((kind) => !skip.has(kind))
    .map((kind) => ({ kind, spec: chartSpec(kind, runs) }));
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
