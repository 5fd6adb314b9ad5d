// Files derived from a source in the repository, committed so that nothing is compiled at run time.
// GENERATED lists them; `npm run generate` writes them, `--check` fails when a committed copy is out of
// date, and scripts/generate.test.ts compares each with what it would write.
import { compile } from 'json-schema-to-typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EDITOR_SCHEMAS, editorSchemas, SCHEMA_FILE } from '../libs/pipeline-schema';

const root = join(__dirname, '..');
const shown = (file: string) => relative(root, file);
const README = join(root, 'README.md');
const TYPES_FILE = join(root, 'libs/pipeline-schema/src/config.ts');
const WAT_FILE = join(root, 'libs/kernels/src/simd.wat');
const SIMD_FILE = join(root, 'libs/kernels/src/simd-binary.ts');
const CARD_SCHEMA = join(root, 'libs/artifacts/model-card.schema.json');
const CARD_TYPES_FILE = join(root, 'libs/artifacts/src/model-card.ts');
const START = `<!-- reference:start (generated from ${shown(SCHEMA_FILE)} by \`npm run generate\`) -->`;
const END = '<!-- reference:end -->';

interface Schema {
  title?: string;
  description?: string;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  $ref?: string;
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  definitions?: Record<string, Schema>;
}

function loadSchema(): Schema {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
}

async function generateTypes(): Promise<string> {
  return compile(loadSchema() as object, 'Pipeline', {
    bannerComment: `/* Generated from ${shown(SCHEMA_FILE)} by scripts/generate.ts: edit the schema, then \`npm run generate\`. */`,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
    unreachableDefinitions: false,
  });
}

async function generateCardTypes(): Promise<string> {
  return compile(JSON.parse(readFileSync(CARD_SCHEMA, 'utf8')) as object, 'ModelCard', {
    bannerComment: `/* Generated from ${shown(CARD_SCHEMA)} by scripts/generate.ts: edit the schema, then \`npm run generate\`. */`,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
    unreachableDefinitions: true,
    // Arrays as arrays: the schema checks their lengths, the code builds them from lists.
    ignoreMinAndMaxItems: true,
  });
}

function typeOf(s: Schema, root: Schema): string {
  if (s.$ref) {
    const name = s.$ref.replace('#/definitions/', '');
    const target = root.definitions![name];
    return target.properties || target.oneOf?.[0]?.$ref ? name : typeOf(target, root);
  }
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.oneOf) return s.oneOf.map((o) => typeOf(o, root)).join(' or ');
  if (s.type === 'array' && s.items) return `list of ${typeOf(s.items, root)}`;
  return s.type ?? 'any';
}

function bounds(s: Schema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) parts.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  return parts.join(', ');
}

/** One row per key; the keys of a mapping written inline (not a definition of its own) follow it, dotted: `limit.train`. */
function rows(s: Schema, root: Schema, prefix = ''): string[] {
  return Object.entries(s.properties ?? {}).flatMap(([key, p]) => {
    const resolved = p.$ref ? root.definitions![p.$ref.replace('#/definitions/', '')] : p;
    const required = s.required?.includes(key) ? 'required' : p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : '';
    const description = [p.description ?? (resolved.properties ? '' : resolved.description), bounds(p)].filter(Boolean).join(' ');
    const row = `| \`${prefix}${key}\` | ${typeOf(p, root)} | ${required} | ${description.replace(/\|/g, '\\|')} |`;
    return [row, ...(!p.$ref && p.properties ? rows(p, root, `${prefix}${key}.`) : [])];
  });
}

function table(title: string, s: Schema, root: Schema): string {
  const intro = s.description ? `${s.description}\n\n` : '';
  return `#### ${title}\n\n${intro}| key | type | default | meaning |\n| --- | --- | --- | --- |\n${rows(s, root).join('\n')}\n`;
}

function generateReference(): string {
  const schema = loadSchema();
  const sections = [table('Top level', schema, schema)];
  for (const [name, def] of Object.entries(schema.definitions ?? {})) {
    if (def.properties) sections.push(table(name, def, schema));
  }
  return `${START}\n\n${sections.join('\n')}\n${END}`;
}

function readmeWithReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error('README.md has no reference markers');
  return readme.slice(0, start) + generateReference() + readme.slice(end + END.length);
}

function editorSchemaText(which: keyof typeof EDITOR_SCHEMAS): string {
  return `${JSON.stringify(editorSchemas(loadSchema() as Record<string, unknown>)[which], null, 2)}\n`;
}

/**
 * simd.wat with each `(f32x4.relaxed_madd a b c)` spelled `(f32x4.add (f32x4.mul a b) c)`: the same kernels
 * for engines without relaxed SIMD (Node 20 has it only behind a V8 flag).
 */
export function withoutFusedMultiplyAdd(wat: string): string {
  const op = '(f32x4.relaxed_madd';
  /** The end of the parenthesized expression that starts at `from`. */
  const close = (from: number): number => {
    let depth = 0;
    for (let i = from; i < wat.length; i++) {
      if (wat[i] === '(') depth++;
      else if (wat[i] === ')' && --depth === 0) return i + 1;
    }
    throw new Error(`simd.wat: unbalanced parentheses after offset ${from}`);
  };
  let out = '';
  let at = 0;
  for (let start = wat.indexOf(op); start >= 0; start = wat.indexOf(op, at)) {
    const args: string[] = [];
    let i = start + op.length;
    while (args.length < 3) {
      i = wat.indexOf('(', i);
      const end = close(i);
      args.push(withoutFusedMultiplyAdd(wat.slice(i, end)));
      i = end;
    }
    out += `${wat.slice(at, start)}(f32x4.add (f32x4.mul ${args[0]} ${args[1]}) ${args[2]})`;
    at = close(start);
  }
  return out + wat.slice(at);
}

/** simd.wat compiled by wabt twice (with fused multiply-adds, and without), as a module exporting both in base64. */
async function generateSimdBinary(): Promise<string> {
  const wabt = await (require('wabt') as () => Promise<{ parseWat(name: string, text: string, features: object): WatModule }>)();
  const compile = (text: string, features: object): string => {
    const module = wabt.parseWat('simd.wat', text, { simd: true, bulk_memory: true, ...features });
    try {
      module.validate();
      return Buffer.from(module.toBinary({}).buffer).toString('base64');
    } finally {
      module.destroy();
    }
  };
  const wat = readFileSync(WAT_FILE, 'utf8');
  return (
    '// Generated from simd.wat by `npm run generate`: edit that file, not this one.\n' +
    `// With f32x4.relaxed_madd (relaxed SIMD):\nexport const SIMD_WASM_FUSED =\n  '${compile(wat, { relaxed_simd: true })}';\n` +
    `// Each relaxed_madd a multiply and an add:\nexport const SIMD_WASM =\n  '${compile(withoutFusedMultiplyAdd(wat), {})}';\n`
  );
}

interface WatModule {
  validate(): void;
  toBinary(options: object): { buffer: Uint8Array };
  destroy(): void;
}

/** Every generated file: where it is, and the text it should hold now. */
export const GENERATED: { file: string; what: string; text(): string | Promise<string> }[] = [
  { file: TYPES_FILE, what: 'the pipeline config types', text: generateTypes },
  { file: README, what: "README's YAML reference", text: () => readmeWithReference(readFileSync(README, 'utf8')) },
  { file: EDITOR_SCHEMAS.pipeline, what: 'the editor schema of pipelines', text: () => editorSchemaText('pipeline') },
  { file: EDITOR_SCHEMAS.part, what: 'the editor schema of shared parts', text: () => editorSchemaText('part') },
  { file: SIMD_FILE, what: 'the wasm kernels binary', text: generateSimdBinary },
  { file: CARD_TYPES_FILE, what: 'the model card types', text: generateCardTypes },
];

if (require.main === module) {
  (async () => {
    const check = process.argv.includes('--check');
    for (const { file, text } of GENERATED) {
      const fresh = await text();
      if (!check) writeFileSync(file, fresh);
      else if (readFileSync(file, 'utf8') !== fresh) {
        console.error(`${shown(file)} is out of date: run \`npm run generate\``);
        process.exitCode = 1;
      }
    }
  })();
}
