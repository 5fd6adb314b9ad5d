// Writes libs/spec/src/config.ts from libs/spec/schema.json, the single source of truth for pipeline files.
// `--check` fails when the committed file is out of date (a test runs it).
import { compile } from 'json-schema-to-typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const target = join(root, 'libs/spec/src/config.ts');

export async function generateConfigTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(join(root, 'libs/spec/schema.json'), 'utf8'));
  return compile(schema, 'Pipeline', {
    bannerComment: '/* Generated from libs/spec/schema.json by scripts/gen-config-types.ts: edit the schema, then `npm run gen:types`. */',
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 120 },
    unreachableDefinitions: false,
  });
}

if (require.main === module) {
  generateConfigTypes().then((text) => {
    if (process.argv.includes('--check')) {
      if (readFileSync(target, 'utf8') !== text) {
        console.error('libs/spec/src/config.ts is out of date: run `npm run gen:types`');
        process.exit(1);
      }
    } else writeFileSync(target, text);
  });
}
