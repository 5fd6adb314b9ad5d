import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

test('evaluate never loads TensorFlow.js: it judges the ONNX file alone', () => {
  const root = join(__dirname, '..');
  const files = [join(root, 'index.ts'), ...readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(__dirname, f))];
  for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), /@tensorflow\//, file);
});
