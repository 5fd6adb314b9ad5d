import Ajv from 'ajv';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { formatProblem, PipelineError, type Problem } from './errors';
import { describeError } from '../../pipeline-schema';

type Path = Problem['path'];
type Json = Record<string, unknown>;

/**
 * One source of the merged document: a file it extends, the pipeline file itself, or the overrides
 * from the environment. The merged document is every layer's value deep-merged in order.
 */
export interface Layer {
  /** As shown in messages. */
  file: string;
  /** Absent for the overrides, which have no positions. */
  doc?: Document;
  lines?: LineCounter;
  /** The layer's keys, `extends` taken out once its files were read. */
  value: Json;
}

/** The one place messages name the overrides; the CLI reads the variable of the same name. */
export const OVERRIDES = 'TRAINYARD_OVERRIDES';
/** The sections the overrides may set. */
const OVERRIDABLE = ['dataset', 'model', 'training', 'export', 'evaluate', 'charts'];

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A path as messages show it: relative to the working directory (the workspace) when inside it. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Parses YAML text; the document's syntax errors come back as problems. */
export function parseYaml(text: string, file: string): { doc: Document; lines: LineCounter; syntax: Problem[]; value: unknown } {
  const lines = new LineCounter();
  // Duplicate keys are found below, where their key path is known.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const syntax = [...doc.errors, ...doc.warnings].map((e): Problem => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { file, line, column: col, path: [], message: e.message.split('\n')[0] };
  });
  if (!syntax.length) {
    keyProblems(doc.contents, [], lines, (offset, path, message) => {
      const { line, col } = lines.linePos(offset);
      syntax.push({ file, line, column: col, path, message });
    });
  }
  let value: unknown;
  if (!syntax.length) {
    try {
      value = doc.toJS();
    } catch (e) {
      // The yaml library refuses aliases that expand without bound ("billion laughs"): one located problem.
      const message = /alias/i.test((e as Error).message) ? 'its aliases expand too far: refused as a resource exhaustion attack ("billion laughs")' : (e as Error).message;
      syntax.push({ file, line: 1, column: 1, path: [], message });
    }
  }
  return { doc, lines, syntax, value };
}

/**
 * Keys a mapping may not have: one written twice (YAML says the last wins, which hides a mistake) and
 * `__proto__` (it would set the parsed object's prototype instead of being a key). Aliases are not
 * followed: they repeat what is checked where they point.
 */
function keyProblems(node: unknown, path: Path, lines: LineCounter, report: (offset: number, path: Path, message: string) => void): void {
  if (isMap(node)) {
    const first = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const offset = (isNode(pair.key) && pair.key.range?.[0]) || 0;
      if (key === '__proto__') report(offset, [...path, key], `unknown key '${key}' (it would rewrite the parsed object itself)`);
      else if (first.has(key)) report(offset, [...path, key], `written twice in one mapping (first on line ${first.get(key)}): keep one`);
      else first.set(key, lines.linePos(offset).line);
      keyProblems(pair.value, [...path, key], lines, report);
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => keyProblems(item, [...path, i], lines, report));
}

/**
 * The layers `layer`'s `extends` brings in, in merge order: each extended file's own extends come
 * before it. Takes `extends` out of `layer.value` when it is a path or a list of paths (another type
 * stays, for the schema to report). `chain` holds the absolute paths of the files being extended, to
 * find cycles. A file that cannot be used is one problem at the entry naming it.
 */
export function extendedLayers(layer: Layer, chain: string[]): Layer[] {
  const entries = layer.value.extends;
  const list = typeof entries === 'string' ? [entries] : Array.isArray(entries) && entries.every((e) => typeof e === 'string') ? (entries as string[]) : undefined;
  if (!list) return [];
  delete layer.value.extends;
  return list.flatMap((entry, i) => {
    const fail = (message: string) => new PipelineError([locate([layer], typeof entries === 'string' ? ['extends'] : ['extends', i], message)]);
    const file = resolve(dirname(chain[chain.length - 1]), entry);
    const shown = shownPath(file);
    if (chain.includes(file)) throw fail(`extends form a cycle: ${[...chain, file].map(shownPath).join(' -> ')}`);
    const refused = outsideWorkspace(file, chain[0]);
    if (refused) throw fail(refused);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw fail(`cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const { doc, lines, syntax, value } = parseYaml(text, shown);
    if (syntax.length) throw fail(`${shown} is not valid YAML: ${formatProblem(syntax[0])}`);
    if (!isObject(value)) throw fail(`${shown} must hold a mapping of pipeline keys (got ${value === null ? 'an empty file' : Array.isArray(value) ? 'a list' : typeof value})`);
    const extended: Layer = { file: shown, doc, lines, value };
    return [...extendedLayers(extended, [...chain, file]), extended];
  });
}

/** Largest file `extends` reads: shared blocks are a few lines. */
const MAX_EXTENDED_BYTES = 1 << 20;

/** The workspace a pipeline file belongs to: the nearest folder above it with an nx.json, else its folder's parent. */
function workspaceOf(pipelineFile: string): string {
  for (let dir = dirname(pipelineFile); dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'nx.json'))) return dir;
  return dirname(dirname(pipelineFile));
}

/** Why `file` may not be extended: only YAML files inside the pipeline's workspace, and of a sane size. */
function outsideWorkspace(file: string, pipelineFile: string): string | undefined {
  const root = workspaceOf(pipelineFile);
  if (!(file + sep).startsWith(root + sep) || file === root) return `extends reads only files inside the workspace (${root}); got ${file}`;
  if (!['.yaml', '.yml'].includes(extname(file))) return `extends reads only YAML files (.yaml or .yml); got ${shownPath(file)}`;
  if (!existsSync(file)) return undefined; // "cannot read" says it below
  const stat = statSync(file);
  if (!stat.isFile()) return `${shownPath(file)} is not a regular file`;
  if (stat.size > MAX_EXTENDED_BYTES) return `${shownPath(file)} is ${stat.size.toLocaleString('en-US')} bytes: extends reads files of at most 1 MiB`;
  return undefined;
}

let sectionsValidator: ReturnType<Ajv['compile']> | undefined;

/**
 * The overrides as a layer: YAML text or a parsed value, a mapping of the sections allowed. Empty
 * (undefined, '', {}): no layer. Anything else is one problem naming the overrides.
 */
export function overridesLayer(overrides: unknown): Layer | undefined {
  const problem = (path: Path, message: string) => new PipelineError([{ file: OVERRIDES, line: 0, column: 0, path, message }]);
  let value = overrides;
  if (typeof overrides === 'string') {
    const parsed = parseYaml(overrides, OVERRIDES);
    if (parsed.syntax.length) throw problem([], `not valid YAML: column ${parsed.syntax[0].column}: ${parsed.syntax[0].message}`);
    value = parsed.value;
  }
  if (value === undefined || value === null || (isObject(value) && Object.keys(value).length === 0)) return undefined;
  sectionsValidator ??= new Ajv({ verbose: true }).compile({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(OVERRIDABLE.map((s) => [s, { type: 'object' }])),
  });
  if (!sectionsValidator(value)) {
    const e = sectionsValidator.errors![0];
    const path: Path = e.instancePath.split('/').slice(1);
    const key = e.keyword === 'additionalProperties' ? [String((e.params as { additionalProperty: string }).additionalProperty)] : [];
    throw problem([...path, ...key], describeError(e, e.data, {}));
  }
  return { file: OVERRIDES, value: structuredClone(value as Json) };
}

/**
 * The layer that wrote the value at `path` of the merged document, following deepMerge: a value that
 * is not a mapping replaces what earlier layers had there, mappings merge key by key. Where several
 * layers make up one mapping (the document's root, a section), the last file among them: the pipeline
 * file when it is one of them.
 */
function owner(layers: Layer[], path: Path): Layer {
  let live = layers.map((layer) => ({ layer, value: layer.value as unknown }));
  for (const key of path) {
    const next = live.flatMap(({ layer, value }) => {
      if (Array.isArray(value) && typeof key === 'number' && key < value.length) return [{ layer, value: value[key] as unknown }];
      if (isObject(value) && String(key) in value) return [{ layer, value: value[String(key)] }];
      return [];
    });
    if (!next.length) break;
    let start = next.length - 1;
    while (start > 0 && isObject(next[start].value) && isObject(next[start - 1].value)) start--;
    live = next.slice(start);
  }
  return [...live].reverse().find((l) => l.layer.doc)?.layer ?? live[live.length - 1].layer;
}

/**
 * A problem at `path` of the merged document, placed in the layer that wrote it: at the value, or at
 * the key (the last element of `path`) with `atKey`. Overrides have no position: line and column 0.
 */
export function locate(layers: Layer[], path: Path, message: string, atKey = false): Problem {
  const layer = owner(layers, path);
  if (!layer.doc || !layer.lines) return { file: layer.file, line: 0, column: 0, path, message };
  const offset = atKey && path.length ? keyOffset(layer.doc, path.slice(0, -1), String(path[path.length - 1])) : nodeOffset(layer.doc, path);
  const { line, col } = layer.lines.linePos(offset);
  return { file: layer.file, line, column: col, path, message };
}

/** Start of the value at `path`, or of the closest ancestor that exists. */
function nodeOffset(doc: Document, path: Path): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function keyOffset(doc: Document, path: Path, key: string): number {
  const parent = path.length ? doc.getIn(path, true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((i) => isNode(i.key) && (i.key as YamlNode & { value?: unknown }).value === key);
    const keyNode = pair?.key as YamlNode | undefined;
    if (keyNode?.range) return keyNode.range[0];
  }
  return nodeOffset(doc, path);
}
