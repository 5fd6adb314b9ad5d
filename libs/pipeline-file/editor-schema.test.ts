/**
 * Editors and the CLI agree: an independent JSON Schema validator (@cfworker/json-schema, not the Ajv the
 * CLI uses) reads every shipped file with the schema its `$schema` line names, and a corpus of bad files
 * with the pipeline schema; each bad file is refused by both at the same key, or is one of the rules only
 * the CLI can check, which README lists.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { EDITOR_SCHEMAS } from '../pipeline-schema';
import { parsePipeline, PipelineError } from './index';

const repo = join(__dirname, '..', '..');
const validators = new Map<string, Validator>();

/** The editor's verdict on `text` with the schema at `schemaPath`: the locations of its errors, as key paths. */
function editor(text: string, schemaPath: string): string[] {
  let v = validators.get(schemaPath);
  if (!v) validators.set(schemaPath, (v = new Validator(JSON.parse(readFileSync(schemaPath, 'utf8')) as Schema, '7', false)));
  return v.validate(parse(text, { uniqueKeys: false })).errors.map((e) => e.instanceLocation.replace(/^#\/?/, ''));
}

test('every shipped pipeline and shared part passes the schema its $schema line names', () => {
  const files = [
    ...readdirSync(join(repo, 'pipelines')).filter((f) => f.endsWith('.yaml')).map((f) => join(repo, 'pipelines', f)),
    ...readdirSync(join(repo, 'pipelines', 'shared')).map((f) => join(repo, 'pipelines', 'shared', f)),
  ];
  assert.ok(files.length >= 9);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const named = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    assert.ok(named, `${file} names no schema`);
    assert.deepEqual(editor(text, resolve(dirname(file), named)), [], file);
  }
});

const BASE = readFileSync(join(repo, 'pipelines', 'lenet-l2.yaml'), 'utf8');

/** Each bad file as one edit of lenet-l2.yaml, and what the schema can say about it. */
const corpus: { what: string; edit: (text: string) => string; cliOnly?: RegExp }[] = [
  { what: 'a dropout rate of 1', edit: (t) => t.replace('    - { id: OUTPUT', '    - { id: DROP, type: dropout, rate: 1 }\n    - { id: OUTPUT') },
  { what: 'no filters', edit: (t) => t.replace('filters: 6, ', 'filters: 0, ') },
  { what: 'a layer type that does not exist', edit: (t) => t.replace('id: C1, type: conv', 'id: C1, type: convolution') },
  { what: 'a misspelt layer key', edit: (t) => t.replace('kernel: 5, activation: tanh }     # [6, 28, 28]', 'kernel: 5, activaton: tanh }') },
  { what: 'an unknown activation', edit: (t) => t.replace('id: F6, type: dense, units: 84, activation: tanh', 'id: F6, type: dense, units: 84, activation: tanhh') },
  { what: 'a negative learning rate', edit: (t) => t.replace('learning-rate: 0.001', 'learning-rate: -0.001') },
  { what: 'no epochs', edit: (t) => t.replace('epochs: 10', 'epochs: 0') },
  { what: 'a misspelt section', edit: (t) => t.replace('training:', 'trainng:') },
  { what: 'a transform that does not exist', edit: (t) => t.replace('{ type: pad, to: 32 }', '{ type: padding, to: 32 }') },
  { what: 'a misspelt transform key', edit: (t) => t.replace('{ type: pad, to: 32 }', '{ type: pad, size: 32 }') },
  { what: 'a schedule that does not exist', edit: (t) => t.replace('  epochs: 10', '  epochs: 10\n  schedule: { type: steps }') },
  { what: 'far too many filters', edit: (t) => t.replace('filters: 120,', 'filters: 100000,') },
  { what: 'a model without input', edit: (t) => t.replace('  input: [1, 32, 32]\n', '') },
  { what: 'a matrix key outside the sections', edit: (t) => `${t}matrix:\n  optimizer: [sgd]\n` },
  // What only the CLI can check: each is in README's "What check refuses beyond the schema".
  { what: 'outputs that are not the classes', edit: (t) => t.replace('type: dense, units: 10 }', 'type: dense, units: 5 }'), cliOnly: /must output 10 logits|10 classes/ },
  { what: 'an input that is not the data', edit: (t) => t.replace('{ type: pad, to: 32 }', '{ type: pad, to: 36 }'), cliOnly: /after its transforms/ },
  // JSON, which validators read, has no NaN: .nan passes as a number there.
  { what: 'a learning rate of .nan', edit: (t) => t.replace('learning-rate: 0.001', 'learning-rate: .nan'), cliOnly: /got \.nan/ },
  { what: 'weight decay without adamw', edit: (t) => t.replace('  l2: 0.0001', '  weight-decay: 0.01'), cliOnly: /needs optimizer adamw/ },
  { what: 'early stopping without a validation split', edit: (t) => t.replace('validation: 0.1', 'validation: 0').replace('  epochs: 10', '  epochs: 10\n  early-stopping: {}'), cliOnly: /validation split/ },
  { what: 'a kernel larger than its input', edit: (t) => t.replace('filters: 120, kernel: 5', 'filters: 120, kernel: 9'), cliOnly: /kernel|larger|fit/ },
  { what: 'a matrix naming a layer that is not there', edit: (t) => `${t}matrix:\n  model.layers.DROP.rate: [0.5]\n`, cliOnly: /names a list item/ },
  { what: 'too many runs', edit: (t) => `${t}matrix:\n  training.learning-rate: [${Array.from({ length: 40 }, (_, i) => (i + 1) / 1000).join(', ')}]\n  training.batch-size: [${Array.from({ length: 30 }, (_, i) => i + 1).join(', ')}]\n`, cliOnly: /at most 1,000/ },
  { what: 'a key written twice', edit: (t) => t.replace('  epochs: 10', '  epochs: 10\n  epochs: 12'), cliOnly: /written twice/ },
];

for (const { what, edit, cliOnly } of corpus) {
  test(`${what}: ${cliOnly ? 'refused by the CLI, a rule README lists' : 'refused by the CLI and the editor at the same key'}`, () => {
    const text = edit(BASE);
    assert.notEqual(text, BASE, 'the edit applies');
    let problem: PipelineError | undefined;
    try {
      parsePipeline(text, 'pipelines/p.yaml');
    } catch (e) {
      problem = e as PipelineError;
    }
    assert.ok(problem instanceof PipelineError, 'the CLI refuses it');
    const errors = editor(text, EDITOR_SCHEMAS.pipeline);
    if (cliOnly) {
      assert.match(problem.message, cliOnly);
      // A key written twice never reaches a JSON validator: the YAML parser keeps one, and the editor's YAML layer flags it.
      return;
    }
    // The editor's deepest error is where the CLI points, or one key off: the item whose key it names, or that key.
    const depth = (p: string) => (p === '' ? 0 : p.split('/').length);
    const near = (outer: string, inner: string) => depth(inner) - depth(outer) === 1 && (outer === '' || inner.startsWith(`${outer}/`));
    // The CLI names a layer by its id where it has one; the editor's locations hold the index.
    const doc = parse(text, { uniqueKeys: false }) as { model?: { layers?: { id?: string }[] } };
    const byId = (p: string) => p.replace(/^model\/layers\/(\d+)/, (at, i: string) => (doc.model?.layers?.[Number(i)]?.id ? `model/layers/${doc.model.layers[Number(i)].id}` : at));
    const deepest = byId(errors.reduce((a, b) => (depth(b) > depth(a) ? b : a), ''));
    const agrees = problem.problems.some(({ path }) => {
      const at = path.join('/');
      return deepest === at || near(deepest, at) || near(at, deepest);
    });
    assert.ok(agrees, `CLI: ${problem.message}\neditor: ${[...new Set(errors)].join(', ')}`);
  });
}

test("README lists each rule only the CLI checks", () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### What `check` refuses beyond the schema'), readme.indexOf('### Reference'));
  for (const words of ['one logit per class', "image shape", 'adamw', 'validation split', 'shapes that do not fit', '1,000 runs', 'list item', 'written twice', '.nan']) {
    assert.ok(section.replace(/\s+/g, ' ').includes(words.replace(/\s+/g, ' ')), `README's list lacks: ${words}`);
  }
});

test("README's YAML examples pass the part schema, as an editor checks them (placeholders `[ ... ]` aside)", () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => !b.includes('[ ... ]'));
  assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
  for (const block of blocks) assert.deepEqual(editor(block, EDITOR_SCHEMAS.part), [], block);
});
