import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { DataError, SOURCES, transformedShape } from '../../data';
import { describeModel, GraphError } from '../../graph';
import { describeError, layerDefaults, PIPELINE_SCHEMA, schemaValidator, type SchemaRoot, type Charts, type Dataset, type Evaluate, type Export, type Model, type Pipeline, type ResolvedTraining } from '../../pipeline-schema';
import { PipelineError, type Problem } from './errors';
import { modelFormProblems, resolveMlps, type Matched } from './mlp';
import { extendedLayers, locate, OVERRIDES, overridesLayer, parseYaml, shownPath, type Layer } from './layers';
import { profileValues } from './profiles';
import { deepMerge, expandRuns } from './runs';

/** A pipeline as loadPipeline returns it: ajv has filled in every setting the schema gives a default. */
export type ResolvedPipeline = Omit<Pipeline, 'extends'> & {
  /** An `mlp` model has its generated `layers` too (the `mlp` block is kept for the record). */
  model: Model & { layers: NonNullable<Model['layers']> };
  dataset: Dataset & Required<Pick<Dataset, 'validation' | 'split-seed' | 'transforms'>>;
  training: ResolvedTraining;
  export: Required<Export>;
  evaluate: Required<Evaluate>;
  charts: Required<Charts>;
};

/** One run of a pipeline: the base config with its variant, sweep values and seed applied. */
export interface LoadedRun {
  id: string;
  label: string;
  group: string;
  /** What sets the run apart (variant, swept keys as its label names them, seed). */
  values: Record<string, unknown>;
  config: ResolvedPipeline;
  /** For a model with `mlp.match-params`: the model it was matched to and that model's parameter count. */
  matched?: Matched;
}

/** A validated pipeline with every default filled in. */
export interface LoadedPipeline {
  /** The file name without `.yaml`: the Nx target name and the artifacts folder. */
  name: string;
  /** As given (relative paths stay relative, for messages). */
  file: string;
  /** The base configuration (the first run's, for a pipeline without variants, matrix or seeds). */
  config: ResolvedPipeline;
  /** Every run; one for a pipeline without variants, matrix or seeds. */
  runs: LoadedRun[];
  /** The pipeline file, then every file it extends; relative to the working directory (the workspace) when inside it. */
  files: string[];
  /** The overrides merged over every run (a profile's, then TRAINYARD_OVERRIDES), when there were any: the runs are reduced or altered. */
  overrides?: Record<string, unknown>;
  /** The profile (`quick`) the runs were reduced by, if any. */
  profile?: string;
}

export const PIPELINE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads, parses and validates a pipeline file and the files it extends. A profile's values (`quick`),
 * then `overrides` (YAML text or a parsed mapping: TRAINYARD_OVERRIDES), are merged over every run
 * last. Throws PipelineError listing every problem found.
 */
export function loadPipeline(file: string, overrides?: unknown, profile?: string): LoadedPipeline {
  const shown = shownPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PipelineError([{ file: shown, line: 1, column: 1, path: [], message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]);
  }
  return parsePipeline(text, shown, overrides, profile);
}

/**
 * As loadPipeline, from text already read; `file` is used for the name and in messages, and the files it
 * extends are read relative to it. With overrides or a profile, the file is checked as written too, so an
 * override cannot hide a mistake in it; each problem says which of the two it comes from.
 */
export function parsePipeline(text: string, file: string, overrides?: unknown, profile?: string): LoadedPipeline {
  const fromEnv = overridesLayer(overrides) !== undefined;
  if (!fromEnv && profile === undefined) return parseMerged(text, file);
  const problemsOf = (work: () => unknown): Problem[] => {
    try {
      work();
      return [];
    } catch (e) {
      if (e instanceof PipelineError) return e.problems;
      throw e;
    }
  };
  const written = problemsOf(() => parseMerged(text, file));
  let loaded: LoadedPipeline | undefined;
  const merged = problemsOf(() => (loaded = parseMerged(text, file, overrides, profile)));
  if (!written.length && loaded) return loaded;
  const how = [profile !== undefined && `profile ${profile}`, fromEnv && OVERRIDES].filter(Boolean).join(' and ');
  const key = (p: Problem) => `${p.file}:${p.line}:${p.column} ${p.message}`;
  const inFile = new Set(written.map(key));
  throw new PipelineError([
    // A problem both ways is the file's, whatever the overrides: it needs no note.
    ...written.map((p) => (merged.some((m) => key(m) === key(p)) ? p : { ...p, message: `${p.message} (in the file as written; ${how} hides it)` })),
    ...merged.filter((p) => !inFile.has(key(p))).map((p) => (p.line === 0 ? p : { ...p, message: `${p.message} (with ${how})` })),
  ]);
}

function parseMerged(text: string, file: string, overrides?: unknown, profile?: string): LoadedPipeline {
  const name = basename(file, extname(file));
  const { doc, lines, syntax, value } = parseYaml(text, file);
  if (syntax.length) throw new PipelineError(syntax);
  const start = (message: string): PipelineError => new PipelineError([{ file, line: 1, column: 1, path: [], message }]);
  if (!PIPELINE_NAME.test(name)) throw start(`the file name '${name}' is the pipeline's name: use lowercase letters, digits and dashes`);
  const own = value;
  if (own === null || typeof own !== 'object' || Array.isArray(own)) throw start('must be a mapping with at least dataset, model and training');

  // The files it extends, the file, the overrides: merged in that order, each problem placed in the one that wrote the value.
  const ownLayer: Layer = { file, doc, lines, value: own as Record<string, unknown> };
  const layers = [...extendedLayers(ownLayer, [resolve(file)]), ownLayer];
  const fromEnv = overridesLayer(overrides);
  const reduced = profile === undefined ? undefined : profileValues(profile, layers.reduce<unknown>((merged, l) => deepMerge(merged, l.value), {}) as Record<string, unknown>);
  const extra = reduced ? { ...(fromEnv ?? { file: OVERRIDES }), value: deepMerge(reduced, fromEnv?.value ?? {}) as Record<string, unknown> } : fromEnv;
  if (extra) layers.push(extra);
  const files = [...new Set([file, ...layers.filter((l) => l.doc).map((l) => l.file)])];
  const config = layers.reduce<unknown>((merged, l) => deepMerge(merged, l.value), {});
  const where: Where = (path, message, atKey) => locate(layers, path, message, atKey);
  const order = [...files, OVERRIDES];
  const validate = schemaValidator();
  if (!validate(config)) {
    throw new PipelineError(shown(byPosition(relevant(validate.errors ?? []).map((e) => problemAt(e, where)), order), config));
  }
  const pipeline = config as ResolvedPipeline;
  if (extra) {
    const clash = Object.keys((pipeline as { matrix?: object }).matrix ?? {})
      .map((key) => ({ key, at: replacedAt(extra.value, key.split('.')) }))
      .filter((c) => c.at !== undefined);
    if (clash.length) {
      throw new PipelineError(clash.map(({ key, at }) => ({ file: OVERRIDES, line: 0, column: 0, path: at!, message: `replaces what the matrix sweeps (${key}): its runs would no longer differ as their labels say` })));
    }
  }
  const problems: Problem[] = [];
  const runs: LoadedRun[] = [];
  const placeRun: ((path: Problem['path'], message: string) => Problem)[] = [];
  const many = 'variants' in pipeline || 'matrix' in pipeline || 'seeds' in pipeline;
  const count = runCount(pipeline as unknown as Record<string, unknown>);
  if (count > MAX_RUNS) {
    const at = 'matrix' in pipeline ? ['matrix'] : 'variants' in pipeline ? ['variants'] : ['seeds'];
    throw new PipelineError([where(at, `makes ${count.toLocaleString('en-US')} runs (variants x matrix x seeds): a pipeline may have at most ${MAX_RUNS.toLocaleString('en-US')}; split the study into several files`, true)]);
  }
  for (const run of expandRuns(pipeline as unknown as Record<string, unknown>, extra?.value)) {
    // Where a key of this run was set: its variant, the matrix, the seeds or the overrides (the last applied wins), else the base.
    const origin = (path: Problem['path']): Problem['path'] => {
      const source = run.sources.filter((s) => s.path.length <= path.length && s.path.every((k, i) => k === path[i])).at(-1);
      return source ? [...source.from, ...path.slice(source.path.length)] : path;
    };
    const suffix = many ? ` (run ${run.label})` : '';
    for (const { at } of run.missing) {
      problems.push(where(at, `names a list item the configuration does not have${suffix}`, true));
    }
    if (run.missing.length) continue;
    // Overrides can replace a list the document's defaults were filled into: check the run again.
    if ((many || extra) && !validate(run.config)) {
      for (const e of relevant(validate.errors ?? [])) {
        const p = problemAt(e, where);
        problems.push(where(origin(p.path), `${p.message}${suffix}`));
      }
      continue;
    }
    for (const { path, message } of semanticProblems(run.config as unknown as ResolvedPipeline)) {
      problems.push(where(origin(path), `${message}${suffix}`));
    }
    runs.push({ id: run.id, label: run.label, group: run.group, values: run.values, config: run.config as unknown as ResolvedPipeline });
    placeRun.push((path, message) => where(origin(path), `${message}${suffix}`));
  }
  // MLPs get their layers. Matching another model's parameter count needs every run's model, and the base's
  // (which stays unresolved when it fails: the runs' own problems are the ones reported).
  const baseModel = modelFormProblems(pipeline.model).length ? [] : [pipeline];
  resolveMlps([...runs.map((r) => r.config), ...baseModel], name).forEach((r, i) => {
    if (i >= runs.length) return;
    if (r.matched) runs[i].matched = r.matched;
    for (const { path, message } of r.problems) problems.push(placeRun[i](path, message));
  });
  if (problems.length) throw new PipelineError(shown(byPosition(unique(problems), order), config));
  const { variants: _v, matrix: _m, seeds: _s, ...base } = pipeline as ResolvedPipeline & Record<string, unknown>;
  return { name, file, files, config: base as ResolvedPipeline, runs, ...(extra && { overrides: extra.value }), ...(profile !== undefined && { profile }) };
}

/** Runs a pipeline may have: each is several Nx tasks, planned on every nx command. */
const MAX_RUNS = 1000;

/** Parameters a model may have: LeNet-5 has 61,706; this is already over a gigabyte of weights, gradients and Adam state. */
const MAX_PARAMS = 100_000_000;

function runCount(doc: Record<string, unknown>): number {
  const variants = doc.variants && typeof doc.variants === 'object' ? Object.keys(doc.variants).length : 1;
  const matrix = doc.matrix && typeof doc.matrix === 'object' ? Object.values(doc.matrix).reduce<number>((n, v) => n * (Array.isArray(v) ? v.length : 1), 1) : 1;
  const seeds = Array.isArray(doc.seeds) ? doc.seeds.length : 1;
  return variants * matrix * seeds;
}

function classCount(d: Dataset): number | undefined {
  return d.classes?.length ?? SOURCES[d.source]?.classes?.length;
}

/**
 * The image shape after the transforms, when the source's is known; else undefined. A transform that cannot
 * apply to the shape it will see (a pad smaller than the image) is a problem at that transform, as the data
 * stage would refuse it.
 */
function imageShape(d: ResolvedPipeline['dataset']): { shape?: number[]; problem?: { path: Problem['path']; message: string } } {
  const shape = SOURCES[d.source]?.shape;
  if (!shape) return {};
  try {
    return { shape: transformedShape(shape, d.transforms as Parameters<typeof transformedShape>[1]) };
  } catch (e) {
    if (!(e instanceof DataError) || !e.transform) throw e;
    return { problem: { path: ['dataset', 'transforms', e.transform.index], message: e.transform.detail } };
  }
}

/** Checks the schema cannot express: shapes that fit, settings that only apply together. */
function semanticProblems(p: ResolvedPipeline): { path: Problem['path']; message: string }[] {
  const problems: { path: Problem['path']; message: string }[] = modelFormProblems(p.model);
  // An mlp's layers are generated later, once every run's model is known (resolveMlps).
  if (!problems.length && !p.model.mlp) {
    try {
      const { output, paramCount } = describeModel(p.model);
      if (paramCount > MAX_PARAMS) {
        problems.push({ path: ['model'], message: `has ${paramCount.toLocaleString('en-US')} parameters: Trainyard trains models of at most ${MAX_PARAMS.toLocaleString('en-US')}` });
      }
      const classes = classCount(p.dataset);
      const last = p.model.layers.length - 1;
      if (classes !== undefined && (output.length !== 1 || output[0] !== classes)) {
        problems.push({ path: ['model', 'layers', last], message: `the model outputs [${output.join(', ')}], but the dataset has ${classes} classes: the last layer must output ${classes} logits` });
      }
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      problems.push({ path: ['model', 'layers', e.layerIndex], message: e.detail });
    }
  }
  if (p.model.mlp) {
    const classes = classCount(p.dataset);
    const outputs = p.model.mlp.outputs ?? layerDefaults.mlp.outputs;
    if (classes !== undefined && outputs !== classes) problems.push({ path: ['model', 'mlp', 'outputs'], message: `is ${outputs}, but the dataset has ${classes} classes` });
  }
  const { shape, problem } = imageShape(p.dataset);
  if (problem) problems.push(problem);
  if (shape && !problems.length) {
    const input = p.model.input;
    // As the train stage requires: the model reads the images as the data stage builds them.
    if (input.join('x') !== shape.join('x')) {
      problems.push({ path: ['model', 'input'], message: `is [${input.join(', ')}], but the dataset's images are [${shape.join(', ')}] after its transforms` });
    }
  }
  const t = p.training;
  if (t['early-stopping'] && p.dataset.validation === 0) {
    problems.push({ path: ['training', 'early-stopping'], message: 'early stopping watches the validation split: set dataset -> validation above 0' });
  }
  if (t['weight-decay'] > 0 && t.optimizer !== 'adamw') {
    problems.push({ path: ['training', 'weight-decay'], message: `decoupled weight decay needs optimizer adamw (got ${t.optimizer}); for an L2 penalty on the loss use training -> l2` });
  }
  if (t.momentum > 0 && t.optimizer !== 'sgd') {
    problems.push({ path: ['training', 'momentum'], message: `momentum applies to optimizer sgd (got ${t.optimizer}); Adam's are beta1 and beta2` });
  }
  // A source that has no folder of its own (idx, folder, csv) needs dataset.path.
  const source = SOURCES[p.dataset.source];
  if (!p.dataset.path && source && !source.defaultDir) {
    problems.push({ path: ['dataset'], message: `source ${p.dataset.source} needs a path: ${source.pathIs}` });
  }
  problems.push(...datasetKeyProblems(p.dataset));
  return problems;
}

/** Keys that apply to image sources only (channels, columns, test), and the one they need (channels). */
function datasetKeyProblems(d: ResolvedPipeline['dataset']): { path: Problem['path']; message: string }[] {
  const images = Boolean(SOURCES[d.source]?.list);
  const problems: { path: Problem['path']; message: string }[] = [];
  if (images && d.channels === undefined) problems.push({ path: ['dataset'], message: `source ${d.source} needs channels: 1 or 3, the channels every image is converted to` });
  for (const key of ['channels', 'test'] as const) {
    if (!images && d[key] !== undefined) problems.push({ path: ['dataset', key], message: `applies to the folder and csv sources only (source ${d.source} reads IDX files)` });
  }
  if (d.columns !== undefined && d.source !== 'csv') problems.push({ path: ['dataset', 'columns'], message: `applies to the csv source only (source is ${d.source})` });
  return problems;
}

/** The same problem found in several runs is reported once. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column} ${p.message.replace(/ \(run [^)]*\)$/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In file order (the pipeline file, the files it extends, the overrides), then by position. */
function byPosition(problems: Problem[], files: string[]): Problem[] {
  return problems.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column);
}

/** Keeps one error per place: a failed oneOf reports itself, not each branch's complaints. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  errors = errors.filter((e) => e.keyword !== 'propertyNames');
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'discriminator');
  const kept = errors.filter(
    (e) =>
      !alternatives.some(
        (a) => a !== e && e.schemaPath.startsWith(a.schemaPath.replace(/\/(oneOf|anyOf|discriminator)$/, '/')) && a.keyword !== 'discriminator',
      ),
  );
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A problem at a path of the merged document, placed where it was written; `atKey`: at the path's last key rather than its value. */
type Where = (path: Problem['path'], message: string, atKey?: boolean) => Problem;

function problemAt(e: ErrorObject, where: Where): Problem {
  if (e.propertyName !== undefined) {
    // A key that breaks a propertyNames rule: point at the key itself.
    return where([...pathOf(e), e.propertyName], describeError(e, e.propertyName, PIPELINE_SCHEMA as SchemaRoot), true);
  }
  const path = pathOf(e);
  const message = describeError(e, e.data, PIPELINE_SCHEMA as SchemaRoot);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return where([...path, key], message, true);
  }
  return where(path, message);
}

function pathOf(e: ErrorObject): Problem['path'] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Problems as messages show them: a layer by its id where the document gives it one (`model -> layers -> C3`), else by index. */
function shown(problems: Problem[], root: unknown): Problem[] {
  return problems.map((p) => ({ ...p, path: layersById(p.path, root) }));
}

function layersById(path: Problem['path'], root: unknown): Problem['path'] {
  let node = root;
  return path.map((key, i) => {
    const item = Array.isArray(node) && typeof key === 'number' ? (node[key] as { id?: unknown } | undefined) : undefined;
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    return path[i - 1] === 'layers' && typeof item?.id === 'string' ? item.id : key;
  });
}

/** Where `overrides` sets a value (not a mapping merged key by key) on `path` or above it, if it does. */
function replacedAt(overrides: Record<string, unknown>, path: string[]): string[] | undefined {
  let node: unknown = overrides;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(path[i] in node)) return undefined;
    node = (node as Record<string, unknown>)[path[i]];
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return path.slice(0, i + 1);
  }
  return path;
}
