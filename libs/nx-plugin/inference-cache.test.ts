import { strict as assert } from 'node:assert';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { loadedFiles } from '../plan/testing';
import { PLANNING_LIBS } from './inference-cache';

test('the cached projects are keyed on the code of every lib the plugin loads to plan a file', () => {
  const libs = join(__dirname, '..');
  const loaded = new Set([...loadedFiles([join(__dirname, 'index.ts')])].map((f) => relative(libs, f).split(sep)[0]));
  assert.deepEqual([...loaded].sort(), [...PLANNING_LIBS].sort());
});
