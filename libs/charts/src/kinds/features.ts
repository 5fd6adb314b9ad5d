import type { TopLevelSpec } from 'vega-lite';
import { ChartsError } from '../errors';
import { chartTitle, config, VEGA_LITE_SCHEMA } from '../theme';
import type { ChartDefinition, ChartRun } from '../types';

/** Whether the features stage mapped some run (the pipeline's charts include 'features'). */
export function hasFeatures(runs: ChartRun[]): boolean {
  return runs.some((r) => r.features !== undefined);
}

const SIZE = 340;

/** Pixels between the panel's edges and its outermost points, so no mark is cut: more than a cross's half width. */
const EDGE_PADDING = 10;

/**
 * The layer whose output was mapped, by its id in the pipeline. The ONNX export names each node and its output
 * tensor `<layer id>/<Op>` (`F6/Tanh`); the run's layers confirm the id. A tensor of no layer (the model's input) is named as it is.
 */
export function mappedLayer(tensor: string, run?: ChartRun['run']): string {
  const id = tensor.split('/')[0];
  const known = run && run.layers.length > 0 ? run.layers.some((l) => l.id === id) : tensor.includes('/');
  return known ? id : tensor;
}

/** The id of the run's last layer with weights, the one that reads the mapped features; undefined without run info. */
function classifier(run?: ChartRun['run']): string | undefined {
  return run ? [...run.layers].reverse().find((l) => l.params > 0)?.id : undefined;
}

/**
 * The test images' penultimate-layer features in 2-D (UMAP), one panel for the best run and one for the
 * baseline: a point per image coloured by its true class, a cross where the model got it wrong. Clicking
 * a class in the legend picks it out. UMAP's axes carry no units, so the panels have none; each panel's
 * scales keep its outermost points clear of its edges.
 */
export function featuresSpec(runs: ChartRun[]): TopLevelSpec {
  const mapped = runs.filter((r) => r.features !== undefined).sort((a, b) => (a.features!.role === 'best' ? -1 : 0) - (b.features!.role === 'best' ? -1 : 0));
  if (mapped.length === 0) throw new ChartsError('NO_FEATURES', "features chart: no run has a feature map (the features stage did not run); leave 'features' out of charts -> include");
  const best = mapped[0];
  const classes = best.features!.classes;
  const layers = mapped.map((r) => ({ id: mappedLayer(r.features!.tensor, r.run), width: r.features!.width, reader: classifier(r.run) }));
  // Runs of different models map different layers: each panel then says which.
  const oneLayer = layers.every((l) => l.id === layers[0].id && l.width === layers[0].width);
  const panels = mapped.map((r, m) => {
    const layer = oneLayer ? '' : ` (${layers[m].id}, ${layers[m].width} values)`;
    if (runs.length === 1) return `${r.name}${layer}`;
    const role = r.features!.role === 'best' ? 'the best run' : 'the baseline';
    return (r.name === 'baseline' ? role : `${role}: ${r.name}`) + layer;
  });
  const values = mapped.flatMap((r, m) => {
    const f = r.features!;
    const panel = panels[m];
    return f.x.map((x, i) => ({ panel, x, y: f.y[i], class: f.classes[f.label[i]], predicted: f.classes[f.predicted[i]], result: f.label[i] === f.predicted[i] ? 'right' : 'wrong', image: i }));
  });
  const { id, width, reader } = layers[0];
  const count = best.features!.x.length;
  const title = chartTitle(oneLayer ? `layer ${id} on the test images, in 2-D (UMAP)` : 'the last hidden layer on the test images, in 2-D (UMAP)', [best]);
  const what = oneLayer ? `the ${width} values it passes to ${reader ? `${reader}, the last layer` : 'the last layer'},` : 'the values each passes to the last layer,';
  const scale = { zero: false, nice: false, padding: EDGE_PADDING };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { ...title, subtitle: `${what} for the first ${count} test images; a cross: misclassified` },
    config,
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelFontSize: 12, labelAnchor: 'start' } } },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: SIZE,
      height: SIZE,
      encoding: {
        x: { field: 'x', type: 'quantitative', axis: null, scale },
        y: { field: 'y', type: 'quantitative', axis: null, scale },
        color: { field: 'class', type: 'nominal', title: 'True class', sort: classes, scale: { scheme: 'tableau10' } },
        opacity: { condition: { param: 'picked', value: 0.75 }, value: 0.06 },
        tooltip: [
          { field: 'image', type: 'quantitative', title: 'Test image' },
          { field: 'class', type: 'nominal', title: 'True class' },
          { field: 'predicted', type: 'nominal', title: 'Predicted' },
        ],
      },
      // The few mistakes in a layer of their own, larger and outlined, over the rest.
      layer: [
        { params: [{ name: 'picked', select: { type: 'point', fields: ['class'] }, bind: 'legend' }], transform: [{ filter: "datum.result === 'right'" }], mark: { type: 'circle', size: 14 } },
        { transform: [{ filter: "datum.result === 'wrong'" }], mark: { type: 'point', shape: 'cross', filled: true, size: 70, stroke: '#222222', strokeWidth: 0.8 } },
      ],
    },
  } as TopLevelSpec;
}

export const features: ChartDefinition = { title: 'What the model learned: test-set features in 2-D (UMAP)', applies: hasFeatures, spec: featuresSpec };
