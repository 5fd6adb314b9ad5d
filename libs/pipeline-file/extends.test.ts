import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parsePipeline, PipelineError } from './index';

const dataset = `dataset:
  source: mnist
  transforms:
    - { type: pad, to: 30 }
`;
const model = `model:
  input: [1, 30, 30]
  layers:
    - { type: flatten }
    - { type: dense, units: 10 }
`;

/** A fresh folder holding `files` (paths relative to it); returns its path. */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-extends-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function parse(dir: string, text: string) {
  return parsePipeline(text, join(dir, 'pipelines', 'p.yaml'));
}

/** The problems, with the folder taken out of the paths. */
function problems(dir: string, text: string): string[] {
  try {
    parse(dir, text);
  } catch (e) {
    assert.ok(e instanceof PipelineError, `expected PipelineError, got ${String(e)}`);
    return e.message.replaceAll(`${dir}/`, '').split('\n');
  }
  assert.fail('expected the file to be refused');
}

const shared = {
  'pipelines/shared/mnist-10.yaml': dataset,
  'pipelines/shared/mlp.yaml': model,
  'pipelines/shared/fast.yaml': 'training: { epochs: 2, optimizer: sgd, learning-rate: 0.1 }\n',
  'pipelines/shared/slow.yaml': 'training: { epochs: 20 }\n',
};

test('extended files merge in order, then the file over them; mappings key by key, lists replace', () => {
  const dir = workspace(shared);
  const p = parse(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml, shared/fast.yaml, shared/slow.yaml]\ntraining: { learning-rate: 0.05 }\n');
  assert.equal(p.config.training.epochs, 20, 'the later file wins');
  assert.equal(p.config.training.optimizer, 'sgd', 'keys the later file does not set stay');
  assert.equal(p.config.training['learning-rate'], 0.05, "the file's own keys win over every extended file");
  assert.deepEqual(p.config.model.layers?.map((l) => l.type), ['flatten', 'dense']);
  const q = parse(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml]\nmodel:\n  layers: [ { type: flatten }, { type: dense, units: 32 }, { type: dense, units: 10 } ]\ntraining: {}\n');
  assert.equal(q.config.model.layers?.length, 3, 'a list replaces the extended one');
  assert.deepEqual(q.config.model.input, [1, 30, 30]);
  assert.deepEqual(p.files, [join(dir, 'pipelines/p.yaml'), ...['mnist-10', 'mlp', 'fast', 'slow'].map((f) => join(dir, `pipelines/shared/${f}.yaml`))]);
});

test('an extended file may extend others, relative to itself; a single path needs no list', () => {
  const dir = workspace({ ...shared, 'pipelines/shared/base.yaml': 'extends: [mnist-10.yaml, mlp.yaml]\ntraining: { epochs: 4 }\n' });
  const p = parse(dir, 'extends: shared/base.yaml\n');
  assert.equal(p.config.dataset.source, 'mnist');
  assert.equal(p.config.model.layers?.length, 2);
  assert.equal(p.config.training.epochs, 4);
  assert.deepEqual(
    p.files.map((f) => f.replace(`${dir}/`, '')),
    ['pipelines/p.yaml', 'pipelines/shared/mnist-10.yaml', 'pipelines/shared/mlp.yaml', 'pipelines/shared/base.yaml'],
  );
});

test('the resolved config is the one the merged content gives written inline: no extends, same runs', () => {
  const dir = workspace(shared);
  const extended = parse(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml, shared/fast.yaml]\nseeds: [1, 2]\n');
  const inline = parse(dir, `${dataset}${model}training: { epochs: 2, optimizer: sgd, learning-rate: 0.1 }\nseeds: [1, 2]\n`);
  assert.ok(!('extends' in extended.config));
  assert.deepEqual(extended.config, inline.config);
  assert.deepEqual(extended.runs, inline.runs);
  assert.ok(extended.runs.every((r) => !('extends' in r.config)));
});

test('a problem in a value from an extended file points into that file; the file that wrote the value wins', () => {
  const dir = workspace({
    ...shared,
    'pipelines/shared/bad.yaml': 'training:\n  epochs: 2\n  learning-rate: -1\n  epoch: 3\n',
    'pipelines/shared/narrow.yaml': 'model:\n  input: [1, 30, 30]\n  layers:\n    - { type: dense, units: 10 }\n',
  });
  assert.deepEqual(problems(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml, shared/bad.yaml]\n'), [
    'pipelines/shared/bad.yaml:3:18 training -> learning-rate: must be > 0 (got -1)',
    "pipelines/shared/bad.yaml:4:3 training -> epoch: unknown key 'epoch' (did you mean 'epochs'?)",
  ]);
  // The file's own value replaces the extended one: the problem is the file's.
  assert.deepEqual(problems(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml, shared/fast.yaml]\ntraining:\n  learning-rate: -2\n'), [
    'pipelines/p.yaml:3:18 training -> learning-rate: must be > 0 (got -2)',
  ]);
  // A shape problem found after merging: at the layer, in the extended file.
  assert.deepEqual(problems(dir, 'extends: [shared/mnist-10.yaml, shared/narrow.yaml]\ntraining: {}\n'), [
    'pipelines/shared/narrow.yaml:4:7 model -> layers -> 0: dense needs a vector input [D], got [1, 30, 30]: add a flatten layer before it',
  ]);
  // A variant's problem stays in the file, naming the run.
  assert.deepEqual(problems(dir, 'extends: [shared/mnist-10.yaml, shared/mlp.yaml, shared/fast.yaml]\nvariants:\n  bad: { training: { momentum: 2 } }\n'), [
    'pipelines/p.yaml:3:32 variants -> bad -> training -> momentum: must be < 1 (got 2) (run bad)',
  ]);
  // A missing section is reported in the pipeline file.
  assert.deepEqual(problems(dir, 'extends: shared/mnist-10.yaml\ntraining: {}\n'), ["pipelines/p.yaml:1:1 missing required key 'model'"]);
});

test('a cycle is one line at the entry that closes it', () => {
  const dir = workspace({
    'pipelines/shared/a.yaml': 'extends: b.yaml\n',
    'pipelines/shared/b.yaml': '# b\nextends: [../shared/a.yaml]\n',
  });
  assert.deepEqual(problems(dir, `${dataset}extends: shared/a.yaml\n`), [
    'pipelines/shared/b.yaml:2:11 extends -> 0: extends form a cycle: pipelines/p.yaml -> pipelines/shared/a.yaml -> pipelines/shared/b.yaml -> pipelines/shared/a.yaml',
  ]);
  assert.deepEqual(problems(dir, 'extends: p.yaml\n'), ['pipelines/p.yaml:1:10 extends: extends form a cycle: pipelines/p.yaml -> pipelines/p.yaml']);
});

test('a missing, unparsable or non-mapping extended file is one line at its entry', () => {
  const dir = workspace({
    ...shared,
    'pipelines/shared/broken.yaml': 'training:\n  epochs: 2\n  epochs: 3\n',
    'pipelines/shared/list.yaml': '- 1\n- 2\n',
    'pipelines/shared/empty.yaml': '# nothing yet\n',
  });
  assert.deepEqual(problems(dir, 'extends:\n  - shared/mnist-10.yaml\n  - shared/nope.yaml\n'), [
    'pipelines/p.yaml:3:5 extends -> 1: cannot read pipelines/shared/nope.yaml (ENOENT)',
  ]);
  assert.deepEqual(problems(dir, 'extends: shared/broken.yaml\n'), [
    'pipelines/p.yaml:1:10 extends: pipelines/shared/broken.yaml is not valid YAML: pipelines/shared/broken.yaml:3:3 training -> epochs: written twice in one mapping (first on line 2): keep one',
  ]);
  assert.deepEqual(problems(dir, 'extends: [shared/list.yaml]\n'), [
    'pipelines/p.yaml:1:11 extends -> 0: pipelines/shared/list.yaml must hold a mapping of pipeline keys (got a list)',
  ]);
  assert.match(problems(dir, 'extends: [shared/empty.yaml]\n')[0], /extends -> 0: pipelines\/shared\/empty.yaml must hold a mapping of pipeline keys \(got an empty file\)$/);
  assert.deepEqual(problems(dir, `extends: 3\n${dataset}${model}training: {}\n`), ['pipelines/p.yaml:1:10 extends: must be a path or a list of paths to YAML files holding parts of a pipeline, relative to this file: merged in order, then this file\'s keys over them (got 3)']);
});

test('extends reads only YAML files inside the workspace, regular and small', () => {
  const dir = workspace({ ...shared, 'pipelines/shared/notes.txt': 'training: {}\n', 'pipelines/shared/big.yaml': `# ${'x'.repeat(1 << 20)}\ntraining: {}\n` });
  mkdirSync(join(dir, 'pipelines', 'shared', 'folder.yaml'));
  const outside = mkdtempSync(join(tmpdir(), 'trainyard-outside-'));
  writeFileSync(join(outside, 'o.yaml'), 'training: {}\n');
  const refused = (entry: string) => problems(dir, `extends: ${entry}\n`).map((l) => l.replace(dir, '<ws>'));
  assert.deepEqual(refused('/etc/passwd'), ['pipelines/p.yaml:1:10 extends: extends reads only files inside the workspace (<ws>); got /etc/passwd']);
  assert.deepEqual(refused(join(outside, 'o.yaml')), [`pipelines/p.yaml:1:10 extends: extends reads only files inside the workspace (<ws>); got ${join(outside, 'o.yaml')}`]);
  assert.deepEqual(refused('../../../../../../dev/zero'), ['pipelines/p.yaml:1:10 extends: extends reads only files inside the workspace (<ws>); got /dev/zero']);
  assert.deepEqual(refused('shared/notes.txt'), ['pipelines/p.yaml:1:10 extends: extends reads only YAML files (.yaml or .yml); got pipelines/shared/notes.txt']);
  assert.deepEqual(refused('shared/folder.yaml'), ['pipelines/p.yaml:1:10 extends: pipelines/shared/folder.yaml is not a regular file']);
  assert.match(refused('shared/big.yaml')[0], /pipelines\/shared\/big\.yaml is 1,048,5\d\d bytes: extends reads files of at most 1 MiB$/);
});
