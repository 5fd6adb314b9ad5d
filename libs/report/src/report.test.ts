import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EpochRecord, Metrics, RunInfo } from '../../artifacts';
import { renderReport } from './report';
import type { ReportInput, ReportRun } from './types';
import { writeReport } from './write';

function epoch(e: number, trainLoss: number, valLoss: number, trainAccuracy: number, valAccuracy: number): EpochRecord {
  return { epoch: e, trainLoss, valLoss, trainAccuracy, valAccuracy, learningRate: 0.001, seconds: 4, samplesPerSecond: 13_500 };
}

const metrics: Metrics = {
  runtime: 'onnxruntime-node 1.30.0',
  samples: 1200,
  accuracy: 0.9875,
  loss: 0.04321,
  classes: ['cat', 'dog'],
  confusion: [
    [590, 10],
    [5, 595],
  ],
  perClass: [
    { class: 'cat', precision: 590 / 595, recall: 590 / 600, support: 600 },
    { class: 'dog', precision: 595 / 605, recall: 595 / 600, support: 600 },
  ],
  parity: { probeSize: 64, tolerance: 1e-4, maxAbsDiff: 3.2e-6, maxScaledDiff: 3.2e-6, at: [5, 1], argmaxAgree: true, ok: true },
};

const info: RunInfo = {
  pipeline: 'lenet-l2',
  run: 'seed-1',
  model: 'LeNet-5',
  backend: 'tensorflow',
  threads: 1,
  seed: 1,
  paramCount: 61_706,
  status: 'early-stopped',
  epochsRun: 3,
  reason: 'validation loss did not improve for 2 epochs',
  seconds: 12.3,
  layers: [],
};

const run: ReportRun = {
  name: 'lenet-l2',
  history: { epochs: [epoch(1, 0.5, 0.4, 0.85, 0.9), epoch(2, 0.2, 0.15, 0.95, 0.9712), epoch(3, 0.1, 0.16, 0.97, 0.9701)] },
  metrics,
  run: info,
};

const input: ReportInput = { pipeline: 'lenet-l2', description: 'LeNet-5 with an L2 penalty on MNIST.', runs: [run] };

test('renderReport runs=1: pipeline, description, run table with the key figures', () => {
  const md = renderReport(input);
  assert.ok(md.startsWith('# lenet-l2\n\nLeNet-5 with an L2 penalty on MNIST.\n'));
  for (const row of [
    '| Model | LeNet-5 |',
    '| Parameters | 61,706 |',
    '| Backend | tensorflow |',
    '| Epochs run | 3 (early-stopped: validation loss did not improve for 2 epochs) |',
    '| Final train loss | 0.1000 |',
    '| Final train accuracy | 97.00% |',
    '| Final validation loss | 0.1600 |',
    '| Final validation accuracy | 97.01% |',
    '| Best validation accuracy | 97.12% (epoch 2) |',
    '| Test accuracy | 98.75% (1,200 images, onnxruntime-node 1.30.0) |',
    '| Test loss | 0.0432 |',
    '| Parity, ONNX vs TensorFlow.js | pass: max abs diff 3.20e-6 ≤ tolerance 1.00e-4 over 64 test images; argmax agrees |',
  ]) {
    assert.ok(md.includes(row), `missing row: ${row}\n${md}`);
  }
  assert.ok(md.includes('| Class | Precision | Recall | Support |'));
  assert.ok(md.includes('| cat | 99.16% | 98.33% | 600 |'));
  assert.ok(md.includes('| dog | 98.35% | 99.17% | 600 |'));
  assert.ok(!md.includes('## Runs'), 'no comparison table for a single run');
  assert.ok(!md.includes('## Charts'));
});

test('renderReport of a reduced run says so under the description; a full run does not', () => {
  const reduced = renderReport({ ...input, overrides: { training: { epochs: 1 } } });
  assert.ok(reduced.includes('\n> Reduced run: TRAINYARD_OVERRIDES `{"training":{"epochs":1}}` was merged over every run'), reduced);
  assert.ok(!renderReport(input).includes('Reduced run'));
  const quick = renderReport({ ...input, overrides: { training: { epochs: 1 } }, profile: 'quick' });
  assert.ok(quick.includes('\n> Quick run: profile `quick` `{"training":{"epochs":1}}` was merged over every run, so these are not the figures of the pipeline as written. Run it without `--configuration=quick` for those.\n'), quick);
});

test('renderReport with restored weights: the validation accuracy shown is the exported epoch\'s, and the run says which', () => {
  const restored = { ...run, run: { ...info, restoredEpoch: 2, reason: 'early stopping at epoch 3; weights of epoch 2 restored' } };
  const md = renderReport({ ...input, runs: [restored, { ...restored, name: 'other' }] });
  assert.ok(md.includes('| lenet-l2 | LeNet-5 | 61,706 | 3 (early-stopped) | 97.12% | 98.75% | pass |'), md);
  assert.ok(md.includes("| Weights exported | epoch 2's (validation accuracy 97.12%) |"), md);
});

test('renderReport parity failed: FAIL with where the largest difference is', () => {
  const failed = { ...metrics, parity: { ...metrics.parity, maxAbsDiff: 2.5e-3, maxScaledDiff: 2.5e-3, ok: false, argmaxAgree: false } };
  const md = renderReport({ ...input, runs: [{ ...run, metrics: failed }] });
  assert.ok(
    md.includes(
      '**FAIL**: max abs diff 2.50e-3 > tolerance 1.00e-4 over 64 test images (largest at image 5, class 1); argmax differs',
    ),
  );
});

test('renderReport without metrics or run info: dashes and "not evaluated", no per-class table', () => {
  const md = renderReport({ pipeline: 'p', runs: [{ name: 'p', history: run.history }] });
  assert.ok(md.includes('| Model | — |'));
  assert.ok(md.includes('| Epochs run | 3 |'));
  assert.ok(md.includes('| Test accuracy | not evaluated |'));
  assert.ok(!md.includes('Per class'));
});

test('renderReport runs=2: comparison table, then one section per run', () => {
  const other: ReportRun = {
    ...run,
    name: 'lenet-relu',
    run: { ...info, status: 'ok', epochsRun: 3 },
    metrics: { ...metrics, accuracy: 0.99 },
  };
  const md = renderReport({ ...input, runs: [run, other] });
  assert.ok(md.includes('| Run | Model | Parameters | Epochs | Val accuracy | Test accuracy | Parity |'));
  assert.ok(md.includes('| lenet-l2 | LeNet-5 | 61,706 | 3 (early-stopped) | 97.01% | 98.75% | pass |'));
  assert.ok(md.includes('| lenet-relu | LeNet-5 | 61,706 | 3 (ok) | 97.01% | 99.00% | pass |'));
  assert.ok(md.includes('## Run lenet-l2') && md.includes('## Run lenet-relu'));
  assert.ok(md.includes('Best test accuracy first (★).'), 'no group holds two runs: nothing to average');
  assert.ok(!md.includes('Mean ± sample standard deviation'));
});

/** A run of `group` with the given test accuracy and loss and final validation accuracy. */
function seeded(
  group: string,
  seed: number,
  accuracy: number,
  testLoss: number,
  valAccuracy: number,
  status: RunInfo['status'] = 'ok',
): ReportRun {
  const epochs = status === 'ok' ? 3 : 2;
  return {
    name: `${group}, seed=${seed}`,
    group,
    history: {
      epochs: [
        epoch(1, 0.5, 0.4, 0.85, 0.9),
        epoch(2, 0.2, 0.15, 0.95, valAccuracy),
        epoch(3, 0.1, 0.12, 0.97, valAccuracy),
      ].slice(0, epochs),
    },
    metrics: { ...metrics, accuracy, loss: testLoss },
    run: {
      ...info,
      run: `s${seed}`,
      seed,
      status,
      epochsRun: epochs,
      reason: undefined,
      values: { variant: group, seed },
      config: { dataset: { source: 'mnist' }, model: {}, training: { optimizer: 'adam', 'learning-rate': 0.001, seed } },
    },
  };
}

test('renderReport groups=2 seeds=3: the leaderboard first, best mean first and marked, mean ± sample std and n per group, then what every run shares', () => {
  const runs = [
    seeded('baseline', 1, 0.981, 0.05, 0.97),
    seeded('baseline', 2, 0.984, 0.06, 0.972),
    seeded('baseline', 3, 0.987, 0.07, 0.974),
    seeded('dropout', 1, 0.99, 0.04, 0.98),
    seeded('dropout', 2, 0.992, 0.045, 0.98, 'early-stopped'),
    seeded('dropout', 3, 0.997, 0.035, 0.98),
  ];
  const md = renderReport({ ...input, runs });
  assert.ok(md.startsWith('# lenet-l2\n\nLeNet-5 with an L2 penalty on MNIST.\n\n## Leaderboard\n'), md.slice(0, 200));
  assert.ok(md.includes('|  | variant | n | Test accuracy | Test loss | Val accuracy | Parameters | Epochs |'), md);
  // dropout: accuracy 99.0, 99.2, 99.7 -> 99.30 ± sqrt((0.09 + 0.01 + 0.16) / 2) = 0.36;
  // loss 0.04, 0.045, 0.035 -> 0.0400 ± 0.0050; validation 98.00 ± 0.00; one run stopped after 2 epochs
  const dropout = '| ★ | dropout | 3 | 99.30% ± 0.36 | 0.0400 ± 0.0050 | 98.00% ± 0.00 | 61,706 | 2–3 (1 early-stopped) |';
  // baseline: accuracy 98.1, 98.4, 98.7 -> 98.40 ± 0.30 (deviations ±0.3: (0.09 + 0.09) / (3 - 1) = 0.09);
  // loss 0.05, 0.06, 0.07 -> 0.0600 ± 0.0100; validation 97.0, 97.2, 97.4 -> 97.20 ± 0.20
  const baseline = '|  | baseline | 3 | 98.40% ± 0.30 | 0.0600 ± 0.0100 | 97.20% ± 0.20 | 61,706 | 3 |';
  assert.ok(md.includes(`${dropout}\n${baseline}\n`), md);
  assert.ok(md.includes('\nEvery run: optimizer "adam", learning-rate 0.001, dataset.source "mnist".\n'.replace(/"/g, '')), md);
  assert.ok(md.includes('Mean ± sample standard deviation (n − 1 in the denominator)'));
  // Then the per-run comparison and sections.
  assert.ok(md.indexOf('## Leaderboard') < md.indexOf('## Runs'));
  assert.ok(md.includes('| baseline, seed=1 | LeNet-5 | 61,706 | 3 (ok) | 97.00% | 98.10% | pass |'));
  assert.ok(md.includes('## Run dropout, seed=3'));
});

test('renderReport group with a diverged run and one not evaluated: NaN shows, counts say how many', () => {
  const diverged = seeded('lr=1', 2, 0.098, Number.NaN, 0.1, 'diverged');
  const { metrics: _unused, ...notEvaluated } = seeded('lr=1', 3, 0.5, 1, 0.5);
  const md = renderReport({ ...input, runs: [seeded('lr=1', 1, 0.9, 0.3, 0.9), diverged, notEvaluated] });
  // accuracy over the 2 evaluated runs: (90 + 9.8) / 2 = 49.90, std |90 - 9.8| / sqrt(2) = 56.71
  assert.ok(md.includes('| ★ | lr=1 | 3 | 49.90% ± 56.71 (2 of 3) | NaN ± NaN (2 of 3) |'), md);
  assert.ok(md.includes('| 2–3 (1 diverged) |'));
});

test('writeReport chartsDir with loss.png and confusion.svg: links those two, relative to the report', () => {
  const root = mkdtempSync(join(tmpdir(), 'report-'));
  try {
    const chartsDir = join(root, 'charts');
    mkdirSync(chartsDir);
    writeFileSync(join(chartsDir, 'loss.png'), '');
    writeFileSync(join(chartsDir, 'loss.svg'), '');
    writeFileSync(join(chartsDir, 'confusion.svg'), '');
    const path = writeReport({ ...input, chartsDir }, join(root, 'report'));
    assert.equal(path, join(root, 'report', 'report.md'));
    const md = readFileSync(path, 'utf8');
    assert.ok(md.includes('![Loss per epoch](../charts/loss.png)'));
    assert.ok(md.includes('![Confusion matrix, test set](../charts/confusion.svg)'));
    assert.ok(!md.includes('accuracy.png'));
    assert.ok(!md.includes('loss.svg'));
    assert.equal(md, readFileSync(writeReport({ ...input, chartsDir }, join(root, 'report')), 'utf8'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('renderReport: the transforms every run shares read as words in the line under the leaderboard, not as JSON', () => {
  const dataset = {
    source: 'mnist',
    transforms: [
      { type: 'pad', to: 32, value: 0 },
      { type: 'normalize', mean: 0.1307, std: 0.3081 },
    ],
  };
  const runs = [seeded('a', 1, 0.98, 0.05, 0.97), seeded('b', 1, 0.97, 0.06, 0.96)];
  for (const r of runs) r.run!.config = { ...r.run!.config!, dataset };
  const md = renderReport({ ...input, runs });
  const line = md.split('\n').find((l) => l.startsWith('Every run: '));
  assert.equal(line, 'Every run: optimizer adam, learning-rate 0.001, dataset.source mnist, dataset.transforms pad to 32 · normalize mean 0.1307 std 0.3081.');
});
