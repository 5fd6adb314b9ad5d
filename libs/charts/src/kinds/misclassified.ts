import type { TopLevelSpec } from 'vega-lite';
import { bestAndBaseline } from '../../../artifacts';
import { ChartsError } from '../errors';
import { chartTitle, config, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';

/** Whether some run has misclassified images to show (its evaluate stage wrote misclassified.json). */
export function hasMisclassified(runs: ChartRun[]): boolean {
  return runs.some((r) => (r.misclassified?.images.length ?? 0) > 0);
}

const COLUMNS = 8;
const CELL = 72;

/**
 * The test images the best run (highest test accuracy) got wrong, as the model saw them (after the
 * transforms; the first channel of a colour image), each titled "true → predicted (confidence)"; below
 * them the baseline's (the variant named `baseline`), where there is one and it is not the best.
 */
export function misclassifiedSpec(runs: ChartRun[]): TopLevelSpec {
  const shown = runs.filter((r) => (r.misclassified?.images.length ?? 0) > 0);
  if (shown.length === 0) throw new ChartsError('NO_MISCLASSIFIED', "misclassified chart: no run has misclassified.json (or every run got every test image right); leave 'misclassified' out of charts -> include");
  const { best, baseline } = bestAndBaseline(shown);
  const title = chartTitle('misclassified test images', [best]);
  const grid = (r: ChartRun, role: string) => {
    const n = r.misclassified!.images.length;
    const who = role === 'the baseline' && r.name === 'baseline' ? role : `${role}, ${r.name}`;
    return { title: { text: `${runs.length > 1 ? `${who}: ` : ''}the first ${n} test images it got wrong, true → predicted (confidence)`, fontSize: 12, fontWeight: 'normal' as const, anchor: 'start' as const }, ...imageGrid(r) };
  };
  if (baseline === undefined) {
    const { title: subtitle, ...rest } = grid(best, 'the best run');
    return { $schema: VEGA_LITE_SCHEMA, title: { ...title, subtitle: subtitle.text }, config, ...rest } as TopLevelSpec;
  }
  return { $schema: VEGA_LITE_SCHEMA, title, config, vconcat: [grid(best, 'the best run'), grid(baseline, 'the baseline')], spacing: 24 } as TopLevelSpec;
}

/** One run's misclassified images, one small faceted heatmap each. */
function imageGrid(r: ChartRun) {
  const { imageShape, images } = r.misclassified!;
  const [, height, width] = imageShape.length === 3 ? imageShape : [1, imageShape[0], imageShape[1] ?? 1];
  const values = images.flatMap((image, item) => {
    const title = `${image.label} → ${image.predicted} (${Math.round(image.confidence * 100)}%)`;
    return Array.from({ length: height * width }, (_, p) => ({ item, title, x: p % width, y: Math.floor(p / width), v: image.pixels[p] }));
  });
  return {
    data: { values },
    facet: { field: 'title', type: 'nominal', sort: { field: 'item' }, title: null, header: { labelFontSize: 11, labelPadding: 2 } },
    columns: COLUMNS,
    spacing: 6,
    spec: {
      width: CELL,
      height: CELL,
      // Each pixel also stroked in its own grey: anti-aliased edges would leave a grid of seams between them.
      mark: { type: 'rect', tooltip: false, strokeWidth: 0.6 },
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: { field: 'v', type: 'quantitative', scale: { scheme: 'greys', reverse: true }, legend: null },
        stroke: { field: 'v', type: 'quantitative', scale: { scheme: 'greys', reverse: true }, legend: null },
      },
    },
  };
}

export const misclassified: ChartDefinition = { title: 'Misclassified test images', applies: hasMisclassified, spec: misclassifiedSpec };
