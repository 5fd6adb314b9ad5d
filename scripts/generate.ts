// Files derived from a source in the repository, committed so that nothing is compiled at run time:
//   libs/spec/src/config.ts                 TypeScript types     from libs/spec/schema.json
//   README.md                               the YAML reference   from libs/spec/schema.json (between the markers)
//   libs/spec/pipeline.schema.json          the schema editors load for pipelines/*.yaml   } from libs/spec/schema.json
//   libs/spec/part.schema.json              the one for the parts in pipelines/shared/     }
//   libs/train/src/kernels/simd-binary.ts   the wasm binary      from libs/train/src/kernels/simd.wat
//   libs/artifacts/src/model-card.ts        TypeScript types     from libs/artifacts/model-card.schema.json
// `npm run generate` writes them; `--check` fails when a committed copy is out of date (a test runs it).
import { compile } from 'json-schema-to-typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorSchemas } from '../libs/spec/src/editor-schema';

const root = join(__dirname, '..');
const schemaPath = join(root, 'libs/spec/schema.json');
export const TYPES_FILE = join(root, 'libs/spec/src/config.ts');
export const README = join(root, 'README.md');
const WAT_FILE = join(root, 'libs/train/src/kernels/simd.wat');
export const EDITOR_SCHEMAS = { pipeline: join(root, 'libs/spec/pipeline.schema.json'), part: join(root, 'libs/spec/part.schema.json') };
export const SIMD_FILE = join(root, 'libs/train/src/kernels/simd-binary.ts');
export const CARD_SCHEMA = join(root, 'libs/artifacts/model-card.schema.json');
export const CARD_TYPES_FILE = join(root, 'libs/artifacts/src/model-card.ts');
const START = '<!-- reference:start (generated from libs/spec/schema.json by `npm run generate`) -->';
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
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Schema;
}

export async function generateTypes(): Promise<string> {
  return compile(loadSchema() as object, 'Pipeline', {
    bannerComment: '/* Generated from libs/spec/schema.json by scripts/generate.ts: edit the schema, then `npm run generate`. */',
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
    unreachableDefinitions: false,
  });
}

export async function generateCardTypes(): Promise<string> {
  return compile(JSON.parse(readFileSync(CARD_SCHEMA, 'utf8')) as object, 'ModelCard', {
    bannerComment: '/* Generated from libs/artifacts/model-card.schema.json by scripts/generate.ts: edit the schema, then `npm run generate`. */',
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

export function generateReference(): string {
  const schema = loadSchema();
  const sections = [table('Top level', schema, schema)];
  for (const [name, def] of Object.entries(schema.definitions ?? {})) {
    if (def.properties) sections.push(table(name, def, schema));
  }
  return `${START}\n\n${sections.join('\n')}\n${END}`;
}

export function readmeWithReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error('README.md has no reference markers');
  return readme.slice(0, start) + generateReference() + readme.slice(end + END.length);
}

/** The editor schemas as files: every generated file in one place, so `--check` and the test compare the same text. */
export function generateEditorSchemas(): Record<keyof typeof EDITOR_SCHEMAS, string> {
  const { pipeline, part } = editorSchemas(loadSchema() as Record<string, unknown>);
  return { pipeline: `${JSON.stringify(pipeline, null, 2)}\n`, part: `${JSON.stringify(part, null, 2)}\n` };
}

/** simd.wat compiled by wabt, as a module exporting the bytes in base64. */
export async function generateSimdBinary(): Promise<string> {
  const wabt = await (require('wabt') as () => Promise<{ parseWat(name: string, text: string, features: object): WatModule }>)();
  const module = wabt.parseWat('simd.wat', readFileSync(WAT_FILE, 'utf8'), { simd: true });
  try {
    module.validate();
    const bytes = Buffer.from(module.toBinary({}).buffer).toString('base64');
    return `// Generated from simd.wat by \`npm run generate\`: edit that file, not this one.\nexport const SIMD_WASM =\n  '${bytes}';\n`;
  } finally {
    module.destroy();
  }
}

interface WatModule {
  validate(): void;
  toBinary(options: object): { buffer: Uint8Array };
  destroy(): void;
}

if (require.main === module) {
  (async () => {
    const types = await generateTypes();
    const readme = readmeWithReference(readFileSync(README, 'utf8'));
    const simd = await generateSimdBinary();
    const editor = generateEditorSchemas();
    const card = await generateCardTypes();
    if (process.argv.includes('--check')) {
      const stale = [
        readFileSync(TYPES_FILE, 'utf8') !== types && 'libs/spec/src/config.ts',
        readFileSync(README, 'utf8') !== readme && 'the YAML reference in README.md',
        readFileSync(SIMD_FILE, 'utf8') !== simd && 'libs/train/src/kernels/simd-binary.ts',
        readFileSync(CARD_TYPES_FILE, 'utf8') !== card && 'libs/artifacts/src/model-card.ts',
        ...(['pipeline', 'part'] as const).map((k) => readFileSync(EDITOR_SCHEMAS[k], 'utf8') !== editor[k] && EDITOR_SCHEMAS[k]),
      ].filter(Boolean);
      for (const what of stale) console.error(`${what} is out of date: run \`npm run generate\``);
      process.exitCode = stale.length ? 1 : 0;
    } else {
      writeFileSync(TYPES_FILE, types);
      writeFileSync(README, readme);
      writeFileSync(SIMD_FILE, simd);
      writeFileSync(CARD_TYPES_FILE, card);
      for (const k of ['pipeline', 'part'] as const) writeFileSync(EDITOR_SCHEMAS[k], editor[k]);
    }
  })();
}
