import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ReportRun } from './types';
import { formatResults, resultRows } from './results';

const run = (id: string, accuracy: number | undefined, values: Record<string, unknown>): ReportRun => ({
  name: id,
  history: { epochs: [{ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: 0.85, learningRate: 0.001, seconds: 1, samplesPerSecond: 100 }] },
  run: { pipeline: 'p', run: id, label: Object.entries(values).map(([k, v]) => `${k}=${v}`).join(', '), values, model: 'M', backend: 'wasm', threads: 1, seed: 1, paramCount: 1234, status: 'ok', epochsRun: 1, seconds: 2, layers: [] },
  metrics: accuracy === undefined ? undefined : ({ accuracy, loss: 0.3, parity: { ok: true } } as ReportRun['metrics']),
});

const runs = [run('m0', 0.9, { lr: 0.1, note: 'a, "b"' }), run('m1', 0.95, { lr: 0.01, note: 'c' }), run('m2', undefined, { lr: 1, note: 'd' })];

test('results: best test accuracy first, runs not evaluated last', () => {
  assert.deepEqual(resultRows(runs).map((r) => [r.run, r.testAccuracy, r.valAccuracy]), [['m1', 0.95, 0.85], ['m0', 0.9, 0.85], ['m2', null, 0.85]]);
});

test('results as CSV: one column per swept key, fields with commas or quotes quoted', () => {
  assert.equal(
    formatResults(resultRows(runs), 'csv'),
    [
      'run,lr,note,model,parameters,epochs,status,val_accuracy,test_accuracy,test_loss,parity,seconds',
      'm1,0.01,c,M,1234,1,ok,0.85,0.95,0.3,true,2',
      'm0,0.1,"a, ""b""",M,1234,1,ok,0.85,0.9,0.3,true,2',
      'm2,1,d,M,1234,1,ok,0.85,,,,2',
    ].join('\n') + '\n',
  );
});

test('results as text and Markdown: formatted figures, aligned columns, a dash where there is none', () => {
  const text = formatResults(resultRows(runs), 'text').split('\n');
  assert.deepEqual(text, [
    'Run  lr    note    Model  Parameters  Epochs  Val accuracy  Test accuracy  Test loss  Parity',
    'm1   0.01  c       M           1,234  1 (ok)        85.00%         95.00%     0.3000  pass',
    'm0   0.1   a, "b"  M           1,234  1 (ok)        85.00%         90.00%     0.3000  pass',
    'm2   1     d       M           1,234  1 (ok)        85.00%              —          —  —',
    '',
  ]);
  assert.match(formatResults(resultRows(runs), 'md'), /^\| Run \| lr \| note \| Model \| Parameters \| Epochs \| Val accuracy \| Test accuracy \| Test loss \| Parity \|\n\| :-- \| :-- \| :-- \| :-- \| --: \|/);
  assert.deepEqual(JSON.parse(formatResults(resultRows(runs), 'json'))[0].values, { lr: 0.01, note: 'c' });
});
