import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { LoadedPipeline } from '../../pipeline-file';
import type { Overrides } from '../../artifacts';

export type StageKind = 'data' | 'train' | 'export' | 'evaluate' | 'features' | 'charts';

export interface RunRef {
  id: string;
  label: string;
  group: string;
  /** What sets the run apart (variant, swept keys, seed): in the train stage's run.json. */
  values: Record<string, unknown>;
}

export interface Stage {
  /** Unique in the pipeline; the stage's Nx target and its outputs `artifacts/<pipeline>/<id>/`. */
  id: string;
  kind: StageKind;
  /** Ids of the stages whose outputs this one reads. */
  needs: string[];
  /** The stage that plays each upstream role for this one (`data`, `train`, `export`, `evaluate`). */
  uses: Partial<Record<Exclude<StageKind, 'features' | 'charts'>, string>>;
  /** The run a train, export or evaluate stage belongs to. */
  run?: RunRef;
  /** For features and charts: every run, with its stages. */
  runs?: (RunRef & { data: string; train: string; export: string; evaluate: string })[];
  /** The slice of the pipeline's config this stage reads, defaults filled in. */
  reads: Record<string, unknown>;
  /** Hash of `reads`: changes exactly when what the stage reads changes. */
  fingerprint: string;
  /** Shown by `nx show project` and in Nx's task list: what the stage does, and for a run's stage which run. */
  description: string;
}

export interface Plan {
  pipeline: string;
  file: string;
  description?: string;
  stages: Stage[];
  /** What was merged over every run of the file (a profile's values, TRAINYARD_OVERRIDES), if anything. */
  overrides?: Overrides;
}

/** Bumped when a stage's output format changes, so old cached outputs are not reused. */
const FORMAT = 1;

export function fingerprint(kind: StageKind, reads: Record<string, unknown>): string {
  return createHash('sha256')
    .update(stringify({ format: FORMAT, kind, reads }) ?? '')
    .digest('hex')
    .slice(0, 20);
}

const DESCRIPTIONS: Record<StageKind, string> = {
  data: 'Read and check the dataset, split it and describe the transformed data',
  train: 'Train the model with TensorFlow.js',
  export: 'Write the trained model as an ONNX file',
  evaluate: 'Run the ONNX file with onnxruntime on the test split; check parity with TensorFlow.js',
  features: "Map the test images' penultimate-layer features to 2-D (UMAP) for the best run and the baseline",
  charts: 'Render the charts and the report',
};

/**
 * The stages of a pipeline, in an order where every stage comes after the ones it needs: one data
 * stage per distinct dataset, train, export and evaluate per run, one features stage over all runs when
 * the charts include its map, and one charts stage over all runs.
 * A pipeline with one run keeps the plain ids (`train`, not `train-default`).
 */
export function planPipeline({ name, file, config, runs, overrides, profile }: LoadedPipeline): Plan {
  const stages: Stage[] = [];
  const add = (id: string, kind: StageKind, uses: Stage['uses'], reads: Record<string, unknown>, extra: Partial<Stage> = {}): Stage => {
    const stage: Stage = { id, kind, needs: Object.values(uses) as string[], uses, reads, fingerprint: fingerprint(kind, reads), description: DESCRIPTIONS[kind], ...extra };
    stages.push(stage);
    return stage;
  };
  const single = runs.length === 1;
  const datasets: string[] = [];
  const dataStage = new Map<string, Stage>();
  for (const run of runs) {
    const key = stringify(run.config.dataset) ?? '';
    if (!dataStage.has(key)) {
      datasets.push(key);
      dataStage.set(key, add(datasets.length === 1 ? 'data' : `data-${datasets.length - 1}`, 'data', {}, { dataset: run.config.dataset }));
    }
  }
  const charted: NonNullable<Stage['runs']> = [];
  for (const run of runs) {
    const c = run.config;
    const ref: RunRef = { id: run.id, label: run.label, group: run.group, values: run.values };
    const suffix = single ? '' : `-${run.id}`;
    // Nx hashes a stage's description into its own project only: the label costs a re-run only when it changes.
    const of = (kind: StageKind): Partial<Stage> => ({ run: ref, ...(!single && { description: `${DESCRIPTIONS[kind]}: run ${run.id} (${run.label})` }) });
    const data = dataStage.get(stringify(c.dataset) ?? '')!.id;
    // The matched count goes into run.json: with fixed hidden widths it can change while the layers do not.
    // The run's values go into run.json, so they are part of what train reads.
    const train = add(`train${suffix}`, 'train', { data }, { dataset: c.dataset, model: c.model, training: c.training, ...(run.matched && { matched: run.matched }), ...(!single && { run: { label: run.label, values: run.values } }) }, of('train'));
    // The train fingerprint is written into the ONNX metadata, so it is part of what export reads.
    const exported = add(`export${suffix}`, 'export', { data, train: train.id }, { pipeline: name, model: c.model, export: c.export, train: train.fingerprint }, of('export'));
    const evaluate = add(`evaluate${suffix}`, 'evaluate', { data, train: train.id, export: exported.id }, { dataset: c.dataset, evaluate: c.evaluate }, of('evaluate'));
    charted.push({ ...ref, data, train: train.id, export: exported.id, evaluate: evaluate.id });
  }
  // Which run is best is known only once every run is evaluated, so the map is one stage over all of them.
  const features = config.charts.include.includes('features')
    ? add('features', 'features', {}, { features: config.charts.features, runs: charted.map(({ id }) => id) }, { runs: charted })
    : undefined;
  if (features) features.needs = [...new Set(charted.flatMap((r) => [r.data, r.export, r.evaluate]))];
  const charts = add('charts', 'charts', {}, { pipeline: name, description: config.description ?? null, model: config.model.name ?? name, charts: config.charts, runs: charted.map(({ id, label, group }) => ({ id, label, group })) }, { runs: charted });
  charts.needs = [...charted.flatMap((r) => [r.train, r.evaluate]), ...(features ? [features.id] : [])];
  const merged = overrides && Object.keys(overrides).length ? { overrides: { values: overrides, ...(profile !== undefined && { profile }) } } : {};
  return { pipeline: name, file, description: config.description, stages, ...merged };
}
