import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { basename, extname, relative } from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { describeModel, GraphError } from '../../graph';
import schema from '../schema.json';
import type { Charts, Dataset, Evaluate, Export, Pipeline, Training } from './config';
import { SpecError, type Problem } from './errors';
import { describeError, type SchemaRoot } from './messages';

/** A pipeline as loadPipeline returns it: ajv has filled in every setting the schema gives a default. */
export type ResolvedPipeline = Pipeline & {
  dataset: Dataset & Required<Pick<Dataset, 'validation' | 'split-seed' | 'transforms'>>;
  training: Required<Training>;
  export: Required<Export>;
  evaluate: Required<Evaluate>;
  charts: Required<Charts>;
};

/** A validated pipeline with every default filled in. */
export interface LoadedPipeline {
  /** The file name without `.yaml`: the Nx target name and the artifacts folder. */
  name: string;
  /** As given (relative paths stay relative, for messages). */
  file: string;
  config: ResolvedPipeline;
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
  const problems = semanticProblems(pipeline).map(({ path, message }) => at(nodeOffset(doc, path), path, message));
  if (problems.length) throw new SpecError(byPosition(problems));
  return { name, file, config: pipeline };
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

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Keeps one error per place: a failed oneOf reports itself, not each branch's complaints. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
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
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const message = describeError(e, e.data, schema as SchemaRoot);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return at(keyOffset(doc, path, key), [...path, key], message);
  }
  return at(nodeOffset(doc, path), path, message);
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

