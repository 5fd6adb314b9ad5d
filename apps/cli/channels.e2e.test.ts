/**
 * Colour images through every stage: a three-channel IDX dataset (NHWC as the data lib stores it) trained,
 * exported (NCHW input), evaluated within parity, mapped and charted.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Metrics, MisclassifiedFile } from '../../libs/artifacts';
import { writeIdxDataset } from '../../libs/data/testing';
import { workspaceWithRun } from './testing';

const root = mkdtempSync(join(tmpdir(), 'trainyard-rgb-'));
after(() => rmSync(root, { recursive: true, force: true }));

const PIPELINE = `dataset:
  source: idx
  path: data/rgb
  # Not MNIST's names: every stage finds the files by these.
  files: { train-images: rgb-train-images, train-labels: rgb-train-labels, test-images: rgb-test-images, test-labels: rgb-test-labels }
  classes: [reddish, greenish]
  validation: 0.2
model:
  input: [3, 6, 6]
  layers:
    - { id: C1, type: conv, filters: 4, kernel: 3, activation: relu }
    - { type: flatten }
    - { id: OUT, type: dense, units: 2 }
training:
  epochs: 2
  batch-size: 16
evaluate:
  probe-size: 16
charts:
  include: [loss, misclassified, features]
  features: { points: 40 }
`;

/** Images whose class is which of the red and green channels is brighter; every value differs per channel and pixel. */
function rgbImages(n: number, salt: number) {
  const data: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    labels.push(label);
    for (let p = 0; p < 36; p++) {
      const base = (i * 37 + p * 11 + salt) % 90;
      data.push(label === 0 ? 150 + base : base, label === 1 ? 150 + base : base, (p * 7 + i) % 256);
    }
  }
  return { images: { dims: [n, 6, 6, 3], data }, labels: { dims: [n], data: labels } };
}

test('a three-channel dataset under its own file names: evaluated within parity, its misclassified images channels first', () => {
  const [train, testSet] = [rgbImages(200, 0), rgbImages(40, 5)];
  const dir = workspaceWithRun(join(root, 'ws'), 'rgb', PIPELINE, (d) =>
    writeIdxDataset(join(d, 'data', 'rgb'), { 'train-images': train.images, 'train-labels': train.labels, 'test-images': testSet.images, 'test-labels': testSet.labels }, false, {
      'train-images': 'rgb-train-images',
      'train-labels': 'rgb-train-labels',
      'test-images': 'rgb-test-images',
      'test-labels': 'rgb-test-labels',
    }),
  );
  const metrics = JSON.parse(readFileSync(join(dir, 'artifacts', 'rgb', 'evaluate', 'metrics.json'), 'utf8')) as Metrics;
  assert.ok(metrics.parity.ok, JSON.stringify(metrics.parity));
  assert.equal(metrics.samples, 40);
  const wrong = JSON.parse(readFileSync(join(dir, 'artifacts', 'rgb', 'evaluate', 'misclassified.json'), 'utf8')) as MisclassifiedFile;
  assert.deepEqual(wrong.imageShape, [3, 6, 6]);
  readFileSync(join(dir, 'artifacts', 'rgb', 'charts', 'features.svg'));
});
