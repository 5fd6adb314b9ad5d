import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CARD_TYPES_FILE, generateCardTypes, generateTypes, readmeWithReference, README, TYPES_FILE } from '../../scripts/generate';

test('the config types are generated from the current schema', async () => {
  assert.equal(readFileSync(TYPES_FILE, 'utf8'), await generateTypes(), 'run `npm run generate`');
});

test("README's YAML reference is generated from the current schema", () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, readmeWithReference(readme), 'run `npm run generate`');
});

test('the model card types are generated from the current card schema', async () => {
  assert.equal(readFileSync(CARD_TYPES_FILE, 'utf8'), await generateCardTypes(), 'run `npm run generate`');
});
