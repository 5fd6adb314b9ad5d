import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED } from './generate';

for (const { file, what, text } of GENERATED) {
  test(`${what} is generated from its current source`, async () => {
    assert.equal(readFileSync(file, 'utf8'), await text(), 'run `npm run generate`');
  });
}
