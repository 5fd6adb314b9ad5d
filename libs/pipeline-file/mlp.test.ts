import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel } from '../graph';
import { parsePipeline } from './index';
import { problems, TINY_PIPELINE } from './testing';

const lenet = `dataset:
  source: mnist
  transforms: [ { type: pad, to: 32 } ]
model:
  name: LeNet-5
  input: [1, 32, 32]
  layers:
    - { id: C1, type: conv, filters: 6, kernel: 5, activation: tanh }
    - { id: S2, type: avgpool, size: 2 }
    - { id: C3, type: conv, filters: 16, kernel: 5, activation: tanh }
    - { id: S4, type: avgpool, size: 2 }
    - { id: C5, type: conv, filters: 120, kernel: 5, activation: tanh }
    - { type: flatten }
    - { id: F6, type: dense, units: 84, activation: tanh }
    - { id: OUTPUT, type: dense, units: 10 }
training:
  epochs: 2
variants:
  lenet: {}
`;

/** A model of 8 * 8 * 10 + 10 = 650 parameters, small enough that one hidden layer cannot match it. */
const tiny = `${TINY_PIPELINE.replace('  input:', '  name: Tiny\n  input:')}variants:\n  tiny: {}\n`;


test("a variant's MLP matched to the base's LeNet-5: generated layers, the mlp block kept, both counts recorded", () => {
  const p = parsePipeline(`${lenet}  mlp:\n    model:\n      name: MLP\n      mlp: { depth: 2, match-params: LeNet-5, dropout: 0.2 }\n`, 'p.yaml');
  const [base, mlp] = p.runs;
  assert.equal(base.matched, undefined);
  assert.equal(describeModel(base.config.model).paramCount, 61_706);
  assert.deepEqual(mlp.matched, { model: 'LeNet-5', params: 61_706 });
  // The variant's mlp replaces the base's layers (rather than merging next to them), and the layers are generated.
  assert.deepEqual(mlp.config.model, {
    name: 'MLP',
    input: [1, 32, 32],
    mlp: { depth: 2, 'match-params': 'LeNet-5', dropout: 0.2, activation: 'relu', outputs: 10 },
    layers: [
      { type: 'flatten' },
      { id: 'H1', type: 'dense', units: 57, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { id: 'H2', type: 'dense', units: 48, activation: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { id: 'OUTPUT', type: 'dense', units: 10 },
    ],
  });
  assert.equal(describeModel(mlp.config.model).paramCount, 1025 * 57 + 58 * 48 + 49 * 10); // 61,699
});

test('depths 1 to 3 against LeNet-5, and fixed hidden widths checked against it', () => {
  const variants = [1, 2, 3].map((d) => `  d${d}: { model: { name: MLP-${d}, mlp: { depth: ${d}, match-params: LeNet-5 } } }\n`).join('');
  const p = parsePipeline(`${lenet}${variants}  fixed: { model: { name: MLP-fixed, mlp: { hidden: [54, 54, 52], match-params: LeNet-5 } } }\n`, 'p.yaml');
  assert.deepEqual(
    p.runs.slice(1).map((r) => [r.id, describeModel(r.config.model).paramCount, r.matched?.params]),
    [
      ['d1', 62_110, 61_706],
      ['d2', 61_699, 61_706],
      ['d3', 61_710, 61_706],
      ['fixed', 61_710, 61_706],
    ],
  );
});

test('an unnamed model goes by the pipeline name; an MLP may match an MLP with hidden widths', () => {
  const p = parsePipeline(
    `${tiny.replace('  name: Tiny\n', '')}  m1: { model: { name: M1, mlp: { hidden: [7, 10] } } }\n  m2: { model: { name: M2, mlp: { depth: 3, match-params: M1 } } }\n  m3: { model: { name: M3, mlp: { depth: 2, match-params: p } } }\n`,
    'p.yaml',
  );
  assert.deepEqual(
    p.runs.map((r) => [r.id, r.matched]),
    [
      ['tiny', undefined],
      ['m1', undefined],
      ['m2', { model: 'M1', params: 645 }],
      ['m3', { model: 'p', params: 650 }],
    ],
  );
});

test('an mlp in the base: a pipeline of one run', () => {
  const p = parsePipeline(`dataset: { source: idx, path: data }\nmodel:\n  input: [784]\n  mlp: { hidden: [300, 100], activation: tanh }\ntraining: {}\n`, 'p.yaml');
  assert.equal(describeModel(p.runs[0].config.model).paramCount, 266_610);
  assert.equal(describeModel(p.config.model).paramCount, 266_610, 'the base config has its layers too');
  assert.equal(p.runs[0].matched, undefined);
});

test('match-params naming no model lists the names there are, at match-params', () => {
  assert.deepEqual(problems(`${tiny}  mlp:\n    model:\n      name: MLP\n      mlp: { depth: 2, match-params: Tiny5 }\n`), [
    "p.yaml:15:38 variants -> mlp -> model -> mlp -> match-params: no model in this pipeline is named 'Tiny5' (the names are 'Tiny', 'MLP') (run mlp)",
  ]);
});

test('MLPs matching each other in a cycle: each one told, at its match-params', () => {
  const text = `dataset: { source: idx, path: data }
model:
  name: A
  input: [1, 8, 8]
  mlp: { depth: 2, match-params: B }
training: {}
variants:
  a: {}
  b: { model: { name: B, mlp: { match-params: A } } }
`;
  assert.deepEqual(problems(text), [
    "p.yaml:5:34 model -> mlp -> match-params: the models match each other's parameter counts in a cycle ('A' -> 'B' -> 'A'): give one of them fixed layers or hidden widths (run a)",
    "p.yaml:9:47 variants -> b -> model -> mlp -> match-params: the models match each other's parameter counts in a cycle ('B' -> 'A' -> 'B'): give one of them fixed layers or hidden widths (run b)",
  ]);
  assert.deepEqual(problems(`dataset: { source: idx, path: data }\nmodel:\n  name: A\n  input: [4]\n  mlp: { depth: 2, match-params: A }\ntraining: {}\n`), [
    "p.yaml:5:34 model -> mlp -> match-params: 'A' is this model's own name: name the model to match, or rename this one",
  ]);
});

test('a depth that cannot get within 1%: how close it got and the depths that can, at match-params', () => {
  assert.deepEqual(problems(`${tiny}  mlp:\n    model:\n      name: MLP\n      mlp: { depth: 1, match-params: Tiny }\n`), [
    "p.yaml:15:38 variants -> mlp -> model -> mlp -> match-params: depth 1 gets no closer to Tiny's 650 parameters than 685 (hidden [9], +5.38%): not within 1%; depths 2 to 7 do (run mlp)",
  ]);
  assert.deepEqual(problems(`${tiny}  mlp: { model: { name: MLP, mlp: { hidden: [20], match-params: Tiny } } }\n`), [
    "p.yaml:12:65 variants -> mlp -> model -> mlp -> match-params: hidden [20] gives 1,510 parameters, +132.31% from Tiny's 650: more than 1% (run mlp)",
  ]);
});

test('an MLP matching one that fails points at the other problem; same-named models must agree', () => {
  const chained = `${tiny}  m1: { model: { name: M1, mlp: { depth: 1, match-params: Tiny } } }\n  m2: { model: { name: M2, mlp: { depth: 3, match-params: M1 } } }\n`;
  assert.equal(problems(chained)[1], "p.yaml:13:59 variants -> m2 -> model -> mlp -> match-params: 'M1' has no parameter count to match: its own mlp fails (see that problem) (run m2)");
  assert.deepEqual(problems(`${tiny}  wide: { model: { layers: [ { type: flatten }, { type: dense, units: 20 } ] } }\n  mlp: { model: { name: MLP, mlp: { depth: 2, match-params: Tiny } } }\n`), [
    "p.yaml:13:61 variants -> mlp -> model -> mlp -> match-params: the models named 'Tiny' have different parameter counts (650, 1,300): give them different names (run mlp)",
  ]);
});

test('layers or mlp, and an mlp with hidden or depth and match-params: each mistake named where it is', () => {
  assert.deepEqual(problems(tiny.replace('  layers:', '  mlp: { hidden: [3] }\n  layers:')), [
    'p.yaml:7:5 model -> layers: a model has either layers or mlp (which generates them), not both: drop one (run tiny)',
  ]);
  assert.deepEqual(problems('dataset: { source: idx, path: data }\nmodel:\n  input: [4]\ntraining: {}\n'), ['p.yaml:3:3 model: needs layers, or mlp to generate them']);
  assert.deepEqual(problems('dataset: { source: idx, path: data }\nmodel:\n  input: [4]\n  mlp: { depth: 2 }\ntraining: {}\n'), [
    'p.yaml:4:17 model -> mlp -> depth: depth needs match-params (the name of the model whose parameter count the widths match); or give the widths as hidden',
  ]);
  assert.deepEqual(problems('dataset: { source: idx, path: data }\nmodel:\n  input: [4]\n  mlp: { match-params: x }\ntraining: {}\n'), [
    'p.yaml:4:24 model -> mlp -> match-params: needs hidden (the widths), or depth (the number of hidden layers) for match-params to choose the widths',
  ]);
  assert.deepEqual(problems(`${tiny}  mlp: { model: { mlp: { hidden: [4], depth: 2 } } }\n`), [
    'p.yaml:12:46 variants -> mlp -> model -> mlp -> depth: give hidden (the widths) or depth (for match-params to choose them), not both (run mlp)',
  ]);
});

test("a variant's depth replaces the base mlp's hidden widths", () => {
  const p = parsePipeline(
    `${tiny.replace('  name: Tiny\n', '  name: MLP\n').replace('  layers:\n    - { type: flatten }\n    - { type: dense, units: 10 }\n', '  mlp: { hidden: [5] }\n')}  tiny-ref: { model: { name: Tiny, layers: [ { type: flatten }, { type: dense, units: 10 } ] } }\n  matched: { model: { mlp: { depth: 2, match-params: Tiny } } }\n`,
    'p.yaml',
  );
  const run = p.runs.find((r) => r.id === 'matched')!;
  assert.deepEqual(run.config.model.mlp, { depth: 2, 'match-params': 'Tiny', activation: 'relu', outputs: 10 });
  assert.deepEqual(run.matched, { model: 'Tiny', params: 650 });
  assert.equal(describeModel(p.runs.find((r) => r.id === 'tiny-ref')!.config.model).paramCount, 650, "a variant's layers replace the base's mlp");
});
