import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { RunInfo } from '../../artifacts';
import { parameters, renderReport } from './report';
import type { ReportRun } from './types';

const info = (run: string, seed: number, paramCount: number, matched?: RunInfo['matched']): RunInfo => ({
  pipeline: 'mlp-vs-lenet',
  run,
  model: matched ? 'MLP' : 'LeNet-5',
  backend: 'cpu',
  threads: 1,
  seed,
  paramCount,
  ...(matched && { matched }),
  status: 'ok',
  epochsRun: 1,
  seconds: 3,
  layers: [],
});

const epochs = [{ epoch: 1, trainLoss: 0.3, valLoss: 0.2, trainAccuracy: 0.9, valAccuracy: 0.95, learningRate: 0.001, seconds: 3, samplesPerSecond: 1000 }];
const run = (name: string, group: string, i: RunInfo): ReportRun => ({ name, group, history: { epochs }, run: i });
const matched = { model: 'LeNet-5', params: 61_706 };

test('parameters: the count, and for a matched MLP the model and count it was matched to', () => {
  assert.equal(parameters(info('lenet', 1, 61_706)), '61,706');
  assert.equal(parameters(info('mlp', 1, 61_699, matched)), '61,699 (matched to LeNet-5: 61,706, -0.01%)');
  assert.equal(parameters(info('mlp', 1, 62_110, matched)), '62,110 (matched to LeNet-5: 61,706, +0.65%)');
});

test('the report shows the match wherever it shows parameter counts', () => {
  const one = renderReport({ pipeline: 'mlp-vs-lenet', runs: [run('mlp', 'mlp', info('mlp', 1, 61_699, matched))] });
  assert.ok(one.includes('| Parameters | 61,699 (matched to LeNet-5: 61,706, -0.01%) |'), one);

  const runs = [
    run('lenet, seed=1', 'lenet', info('lenet-s0', 1, 61_706)),
    run('lenet, seed=2', 'lenet', info('lenet-s1', 2, 61_706)),
    run('mlp, seed=1', 'mlp', info('mlp-s0', 1, 61_699, matched)),
    run('mlp, seed=2', 'mlp', info('mlp-s1', 2, 61_699, matched)),
  ];
  const md = renderReport({ pipeline: 'mlp-vs-lenet', runs });
  assert.match(md, /\| lenet \| 2 \|[^\n]*\| 61,706 \|/);
  assert.match(md, /\| mlp \| 2 \|[^\n]*\| 61,699 \(matched to LeNet-5: 61,706, -0\.01%\) \|/, 'leaderboard');
  assert.match(md, /\| mlp, seed=2 \| MLP \| 61,699 \(matched to LeNet-5: 61,706, -0\.01%\) \|/, 'runs table');
  assert.match(md, /\| lenet, seed=1 \| LeNet-5 \| 61,706 \|/);
});
