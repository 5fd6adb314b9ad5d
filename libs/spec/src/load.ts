import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { basename, extname, relative } from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { describeModel, GraphError } from '../../graph';
import schema from '../schema.json';
import type { Charts, Dataset, Evaluate, Export, Pipeline, Training } from './config';
import { SpecError, type Problem } from './errors';
import { describeError, type SchemaRoot } from './messages';
import { expandRuns } from './runs';

/** A pipeline as loadPipeline returns it: ajv has filled in every setting the schema gives a default. */
export type ResolvedPipeline = Pipeline & {
  dataset: Dataset & Required<Pick<Dataset, 'validation' | 'split-seed' | 'transforms'>>;
  training: Required<Training>;
  export: Required<Export>;
  evaluate: Required<Evaluate>;
  charts: Required<Charts>;
};

/** One run of a pipeline: the base config with its variant, sweep values and seed applied. */
export interface LoadedRun {
  id: string;
  label: string;
  group: string;
  config: ResolvedPipeline;
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
}

let ajv: Ajv | undefined;
function schemaAjv(): Ajv {
  ajv ??= new Ajv({ allErrors: true, useDefaults: true, discriminator: true, verbose: true, strict: true, strictRequired: false, schemas: [schema] });
  return ajv;
}

function validator(name?: string): ValidateFunction {
  const ref = `${schema.$id}${name ? `#/definitions/${name}` : ''}`;
  return schemaAjv().getSchema(ref) ?? schemaAjv().compile({ $ref: ref });
}

export type SectionName = 'Dataset' | 'Model' | 'Training' | 'Export' | 'Evaluate' | 'Charts';

/**
 * A section of a pipeline built in code (tests, benchmarks) with the schema's defaults filled in,
 * exactly as loadPipeline fills them: the schema is the one place defaults live.
 */
export function withDefaults<T extends object>(section: SectionName, value: T): T {
  const copy = structuredClone(value);
  const validate = validator(section);
  if (!validate(copy)) {
    const lines = (validate.errors ?? []).map((e) => `${section}${e.instancePath}: ${describeError(e, e.data, schema as SchemaRoot)}`);
    throw new Error(lines.join('\n'));
  }
  return copy;
}

export const PIPELINE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Reads, parses and validates a pipeline file. Throws SpecError listing every problem found. */
export function loadPipeline(file: string): LoadedPipeline {
  const rel = relative(process.cwd(), file);
  const shown = rel && !rel.startsWith('..') ? rel : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError([{ file: shown, line: 1, column: 1, path: [], message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }]);
  }
  return parsePipeline(text, shown);
}

/** As loadPipeline, from text already read; `file` is used for the name and in messages. */
export function parsePipeline(text: string, file: string): LoadedPipeline {
  const name = basename(file, extname(file));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: Problem['path'], message: string): Problem => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, path, message };
  };

  const syntax = [...doc.errors, ...doc.warnings].map((e) => at(e.pos[0], [], e.message.split('\n')[0]));
  if (syntax.length) throw new SpecError(syntax);
  if (!PIPELINE_NAME.test(name)) {
    throw new SpecError([at(0, [], `the file name '${name}' is the pipeline's name: use lowercase letters, digits and dashes`)]);
  }

  const config = doc.toJS() as unknown;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new SpecError([at(0, [], 'must be a mapping with at least dataset, model and training')]);
  }
  const validate = validator();
  if (!validate(config)) {
    throw new SpecError(byPosition(relevant(validate.errors ?? []).map((e) => problemAt(doc, e, at))));
  }
  const pipeline = config as ResolvedPipeline;
  const problems: Problem[] = [];
  const runs: LoadedRun[] = [];
  const many = 'variants' in pipeline || 'matrix' in pipeline || 'seeds' in pipeline;
  for (const run of expandRuns(pipeline as unknown as Record<string, unknown>)) {
    // Where a key of this run was set: its variant, the matrix or the seeds, else the base.
    const origin = (path: Problem['path']): Problem['path'] => {
      const source = run.sources
        .filter((s) => s.path.length <= path.length && s.path.every((k, i) => k === path[i]))
        .sort((a, b) => b.path.length - a.path.length)[0];
      return source ? [...source.from, ...path.slice(source.path.length)] : path;
    };
    const suffix = many ? ` (run ${run.label})` : '';
    for (const key of run.missing) {
      problems.push(at(keyOffset(doc, ['matrix'], key), ['matrix', key], `names a list item the configuration does not have${suffix}`));
    }
    if (run.missing.length) continue;
    if (many && !validate(run.config)) {
      for (const e of relevant(validate.errors ?? [])) {
        const p = problemAt(doc, e, at);
        const from = origin(p.path);
        problems.push({ ...at(nodeOffset(doc, from), from, p.message), message: `${p.message}${suffix}` });
      }
      continue;
    }
    for (const { path, message } of semanticProblems(run.config as unknown as ResolvedPipeline)) {
      const from = origin(path);
      problems.push(at(nodeOffset(doc, from), from, `${message}${suffix}`));
    }
    runs.push({ id: run.id, label: run.label, group: run.group, config: run.config as unknown as ResolvedPipeline });
  }
  if (problems.length) throw new SpecError(byPosition(unique(problems)));
  const { variants: _v, matrix: _m, seeds: _s, ...base } = pipeline as ResolvedPipeline & Record<string, unknown>;
  return { name, file, config: base as ResolvedPipeline, runs };
}

/** Checks the schema cannot express: shapes that fit, settings that only apply together. */
function semanticProblems(p: ResolvedPipeline): { path: Problem['path']; message: string }[] {
  const problems: { path: Problem['path']; message: string }[] = [];
  try {
    describeModel(p.model);
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    problems.push({ path: ['model', 'layers', e.layerIndex], message: e.message.replace(/^layer \d+ \([^)]*\): /, '') });
  }
  const t = p.training;
  if ((t['weight-decay'] ?? 0) > 0 && t.optimizer !== 'adamw') {
    problems.push({ path: ['training', 'weight-decay'], message: `decoupled weight decay needs optimizer adamw (got ${t.optimizer}); for an L2 penalty on the loss use training -> l2` });
  }
  if ((t.momentum ?? 0) > 0 && t.optimizer !== 'sgd') {
    problems.push({ path: ['training', 'momentum'], message: `momentum applies to optimizer sgd (got ${t.optimizer}); Adam's are beta1 and beta2` });
  }
  if (p.dataset.source !== 'mnist' && p.dataset.source !== 'fashion-mnist' && !p.dataset.path) {
    problems.push({ path: ['dataset'], message: `source ${p.dataset.source} needs a path to the IDX files` });
  }
  return problems;
}

/** The same problem found in several runs is reported once. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column} ${p.message.replace(/ \(run [^)]*\)$/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
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

function problemAt(doc: Document, e: ErrorObject, at: (offset: number, path: Problem['path'], message: string) => Problem): Problem {
  if (e.propertyName !== undefined) {
    // A key that breaks a propertyNames rule: point at the key itself.
    const parent = pathOf(e);
    return at(keyOffset(doc, parent, e.propertyName), [...parent, e.propertyName], describeError(e, e.propertyName, schema as SchemaRoot));
  }
  const path = pathOf(e);
  const message = describeError(e, e.data, schema as SchemaRoot);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return at(keyOffset(doc, path, key), [...path, key], message);
  }
  return at(nodeOffset(doc, path), path, message);
}

function pathOf(e: ErrorObject): Problem['path'] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Start of the value at `path`, or of the closest ancestor that exists. */
function nodeOffset(doc: Document, path: Problem['path']): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function keyOffset(doc: Document, path: Problem['path'], key: string): number {
  const parent = path.length ? doc.getIn(path, true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((i) => isNode(i.key) && (i.key as YamlNode & { value?: unknown }).value === key);
    const keyNode = pair?.key as YamlNode | undefined;
    if (keyNode?.range) return keyNode.range[0];
  }
  return nodeOffset(doc, path);
}

