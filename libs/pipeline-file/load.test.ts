import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { withDefaults } from '../pipeline-schema';
import { parsePipeline, PipelineError } from './index';
import { ALIAS_BOMB } from './testing';

const valid = `
dataset:
  source: mnist
  transforms:
    - { type: pad, to: 32 }
model:
  input: [1, 32, 32]
  layers:
    - { type: conv, filters: 6, kernel: 5, activation: tanh }
    - { type: avgpool }
    - { type: flatten }
    - { type: dense, units: 10 }
training:
  epochs: 2
`;

function problems(text: string, file = 'pipelines/p.yaml'): string[] {
  try {
    parsePipeline(text, file);
  } catch (e) {
    assert.ok(e instanceof PipelineError, `expected PipelineError, got ${String(e)}`);
    return e.message.split('\n');
  }
  assert.fail('expected the file to be refused');
}

test('a valid file gets every default filled in', () => {
  const { name, config } = parsePipeline(valid, 'pipelines/my-run.yaml');
  assert.equal(name, 'my-run');
  assert.equal(config.training.optimizer, 'adam');
  assert.equal(config.training['learning-rate'], 0.001);
  assert.equal(config.training.epochs, 2);
  assert.equal(config.dataset.validation, 0.1);
  assert.deepEqual(config.export, { opset: 13 });
  assert.deepEqual(config.charts?.include, ['loss', 'accuracy', 'confusion', 'test-accuracy', 'sweep', 'learning-rate', 'misclassified', 'features']);
  assert.deepEqual(config.charts?.features, { points: 2000, neighbors: 15, seed: 1 });
  assert.deepEqual(config.dataset.transforms?.[0], { type: 'pad', to: 32, value: 0 });
});

test('noise transform defaults apply inside the discriminated list', () => {
  const { config } = parsePipeline(valid.replace('- { type: pad, to: 32 }', '- { type: noise, std: 0.1 }\n    - { type: pad, to: 32 }'), 'p.yaml');
  assert.deepEqual(config.dataset.transforms?.[0], { type: 'noise', std: 0.1, seed: 1, splits: ['train'] });
});

test('negative learning rate: line 15 column 18, key path, expectation and value', () => {
  const text = valid.replace('  epochs: 2', '  epochs: 2\n  learning-rate: -0.001');
  assert.deepEqual(problems(text), ['pipelines/p.yaml:15:18 training -> learning-rate: must be > 0 (got -0.001)']);
});

test('unknown key points at the key and suggests the close one', () => {
  assert.deepEqual(problems(valid.replace('epochs: 2', 'epoch: 2')), [
    "pipelines/p.yaml:14:3 training -> epoch: unknown key 'epoch' (did you mean 'epochs'?)",
  ]);
});

test("the short names other tools use (lr, wd, bs) are answered with ours, though far in spelling", () => {
  for (const [short, ours] of [['lr', 'learning-rate'], ['wd', 'weight-decay'], ['bs', 'batch-size'], ['BS', 'batch-size']]) {
    assert.deepEqual(problems(valid.replace('epochs: 2', `epochs: 2\n  ${short}: 1`)), [`pipelines/p.yaml:15:3 training -> ${short}: unknown key '${short}' (did you mean '${ours}'?)`]);
  }
});

test('unknown top-level key lists the known ones when nothing is close', () => {
  const [line] = problems(`${valid}zzz: 1\n`);
  assert.match(line, /^pipelines\/p.yaml:15:1 zzz: unknown key 'zzz' \(expected one of: extends, description, dataset, model, training, export, evaluate, charts, variants, matrix, seeds\)$/);
});

test('several problems: one line each, in file order', () => {
  const text = valid
    .replace('source: mnist', 'source: mnst')
    .replace('{ type: pad, to: 32 }', '{ type: blur }')
    .replace('kernel: 5', 'kernel: [5]');
  assert.deepEqual(problems(text), [
    'pipelines/p.yaml:3:11 dataset -> source: must be one of mnist, fashion-mnist, idx, folder, csv (got "mnst")',
    'pipelines/p.yaml:5:7 dataset -> transforms -> 0: unknown type "blur" (expected one of pad, normalize, noise, resize, grayscale, center-crop)',
    'pipelines/p.yaml:9:41 model -> layers -> 0 -> kernel: must be a positive integer or a list [h, w] of two (got [5])',
  ]);
});

test('a shape that does not fit names the layer', () => {
  assert.deepEqual(problems(valid.replace('    - { type: flatten }\n', '')), [
    'pipelines/p.yaml:11:7 model -> layers -> 2: dense needs a vector input [D], got [6, 14, 14]: add a flatten layer before it',
  ]);
});

test('a layer is named by its id where it has one, by its index otherwise', () => {
  const named = valid.replace('{ type: conv, filters: 6, kernel: 5', '{ id: C1, type: conv, filters: 6, kernel: 15').replace('{ type: avgpool }', '{ id: S2, type: avgpool, size: 20 }');
  assert.deepEqual(problems(named), ['pipelines/p.yaml:10:7 model -> layers -> S2: window 20x20 does not fit the 18x18 input']);
  assert.deepEqual(problems(named.replace('kernel: 15', 'kernel: -1')), ['pipelines/p.yaml:9:49 model -> layers -> C1 -> kernel: must be a positive integer or a list [h, w] of two (got -1)']);
  assert.deepEqual(problems(valid.replace('{ type: avgpool }', '{ type: avgpool, size: 30 }')), ['pipelines/p.yaml:10:7 model -> layers -> 1: window 30x30 does not fit the 28x28 input']);
});

test('a transform that cannot apply to the source\'s images is refused where it is written, as the data stage would', () => {
  assert.deepEqual(problems(valid.replace('{ type: pad, to: 32 }', '{ type: pad, to: 10 }').replace('input: [1, 32, 32]', 'input: [1, 10, 10]')), [
    'pipelines/p.yaml:5:7 dataset -> transforms -> 0: to=10 is smaller than the 28x28 image',
  ]);
  const twice = valid.replace('    - { type: pad, to: 32 }\n', '    - { type: pad, to: 32 }\n    - { type: normalize, mean: 0.1, std: 0.3 }\n    - { type: pad, to: 30 }\n');
  assert.deepEqual(problems(twice), ['pipelines/p.yaml:7:7 dataset -> transforms -> 2: to=30 is smaller than the 32x32 image']);
});

test('settings that only apply together', () => {
  assert.deepEqual(problems(valid.replace('  epochs: 2', '  epochs: 2\n  weight-decay: 0.01')), [
    'pipelines/p.yaml:15:17 training -> weight-decay: decoupled weight decay needs optimizer adamw (got adam); for an L2 penalty on the loss use training -> l2',
  ]);
});

test('YAML syntax errors and duplicate keys carry their position; a duplicate key names itself and where it first was', () => {
  assert.match(problems('dataset: [\n')[0], /^pipelines\/p.yaml:\d+:\d+ /);
  assert.deepEqual(problems(`${valid}training: {}\n`), ['pipelines/p.yaml:15:1 training: written twice in one mapping (first on line 13): keep one']);
  assert.deepEqual(problems(valid.replace('  epochs: 2', '  epochs: 2\n  epochs: 3')), ['pipelines/p.yaml:15:3 training -> epochs: written twice in one mapping (first on line 14): keep one']);
});

test('a __proto__ key is refused where it is written, not read as the prototype of what was parsed', () => {
  assert.deepEqual(problems(`${valid}__proto__: { polluted: 1 }\n`), ["pipelines/p.yaml:15:1 __proto__: unknown key '__proto__' (it would rewrite the parsed object itself)"]);
  assert.deepEqual(problems(valid.replace('  epochs: 2', '  epochs: 2\n  __proto__: { x: 1 }')), ["pipelines/p.yaml:15:3 training -> __proto__: unknown key '__proto__' (it would rewrite the parsed object itself)"]);
});

test('.nan and .inf are shown as written, not as null', () => {
  assert.deepEqual(problems(valid.replace('  epochs: 2', '  epochs: .inf\n  learning-rate: .nan')), [
    'pipelines/p.yaml:14:11 training -> epochs: must be an integer (got .inf)',
    'pipelines/p.yaml:15:18 training -> learning-rate: must be a number (got .nan)',
  ]);
});

test('missing sections and a bad file name', () => {
  assert.deepEqual(problems('dataset: { source: mnist }\n'), [
    "pipelines/p.yaml:1:1 missing required key 'model'",
    "pipelines/p.yaml:1:1 missing required key 'training'",
  ]);
  assert.match(problems(valid, 'pipelines/My Run.yaml')[0], /the file name 'My Run' is the pipeline's name/);
});

test('withDefaults fills a section built in code as loading a file does', () => {
  const { config } = parsePipeline(valid, 'p.yaml');
  assert.deepEqual(withDefaults('Training', { epochs: 2 }), config.training);
  assert.deepEqual(withDefaults('Charts', {}), config.charts);
  assert.throws(() => withDefaults('Training', { 'learning-rate': -1 }), /Training\/learning-rate: must be > 0 \(got -1\)/);
});

test('a YAML alias bomb is one located problem, not an exhausted process', () => {
  assert.deepEqual(problems(ALIAS_BOMB), ['pipelines/p.yaml:1:1 its aliases expand too far: refused as a resource exhaustion attack ("billion laughs")']);
});

test('check refuses a model that cannot read the data or name its classes, at the key that would have to change', () => {
  assert.deepEqual(problems(valid.replace('  transforms:\n    - { type: pad, to: 32 }\n', '')), ['pipelines/p.yaml:5:10 model -> input: is [1, 32, 32], but the dataset\'s images are [1, 28, 28] after its transforms']);
  assert.deepEqual(problems(valid.replace('units: 10', 'units: 5')), ['pipelines/p.yaml:12:7 model -> layers -> 3: the model outputs [5], but the dataset has 10 classes: the last layer must output 10 logits']);
  const named = valid.replace('source: mnist', 'source: mnist\n  classes: [even, odd]').replace('units: 10', 'units: 2');
  assert.equal(parsePipeline(named, 'p.yaml').config.dataset.classes?.length, 2, 'class names set the count');
  assert.deepEqual(problems(valid.replace(/model:[\s\S]*training:/, 'model:\n  input: [1, 32, 32]\n  mlp: { hidden: [20], outputs: 3 }\ntraining:')), ['pipelines/p.yaml:8:33 model -> mlp -> outputs: is 3, but the dataset has 10 classes']);
});

test('check bounds what cannot train on one machine: sizes, epochs, parameters and the number of runs', () => {
  assert.deepEqual(problems(valid.replace('units: 10', 'units: 100000000')), ['pipelines/p.yaml:12:29 model -> layers -> 3 -> units: must be <= 65536 (got 100000000)']);
  assert.deepEqual(problems(valid.replace('epochs: 2', 'epochs: 1000000000')), ['pipelines/p.yaml:14:11 training -> epochs: must be <= 10000 (got 1000000000)']);
  const huge = valid.replace('units: 10 }', 'units: 65536 }\n    - { type: dense, units: 65536 }\n    - { type: dense, units: 10 }');
  assert.match(problems(huge)[0], /^pipelines\/p\.yaml:7:3 model: has 4,3\d\d,\d{3},\d{3} parameters: Trainyard trains models of at most 100,000,000$/);
  const values = (n: number) => `[${Array.from({ length: n }, (_, i) => (i + 1) / 1000).join(', ')}]`;
  const sweep = `${valid}matrix:\n  training.learning-rate: ${values(100)}\n  training.beta1: ${values(100).replaceAll('0.1', '0.01')}\n`;
  assert.deepEqual(problems(sweep), ['pipelines/p.yaml:15:1 matrix: makes 10,000 runs (variants x matrix x seeds): a pipeline may have at most 1,000; split the study into several files']);
});
