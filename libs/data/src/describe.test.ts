import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withDefaults, type Dataset } from '../../pipeline-schema';
import { describeDataset, describeSplit } from './describe';
import { syntheticParts, tempDir, writeIdxDataset } from './fixture';
import { loadDataset } from './load';

const workspace = tempDir();
after(() => rmSync(workspace, { recursive: true, force: true }));
writeIdxDataset(join(workspace, 'd'), syntheticParts(20, 6, 3, 3, 3));

const config: Dataset = withDefaults('Dataset', {
  source: 'idx',
  path: 'd',
  validation: 0.25,
  transforms: [{ type: 'pad', to: 4 }, { type: 'noise', std: 0.05 }, { type: 'normalize', mean: 0.5, std: 0.25 }],
});

test('manifest: counts, class counts in class order, shape, transforms with defaults, preprocessing without noise', async () => {
  const d = await loadDataset(config, { workspace });
  const m = describeDataset(d, config);
  assert.equal(m.source, 'idx');
  assert.deepEqual(m.classes, ['0', '1', '2']);
  assert.deepEqual(m.imageShape, [1, 4, 4]);
  // test labels are 0,1,2,0,1,2
  assert.deepEqual(m.splits.test.classCounts, [2, 2, 2]);
  assert.equal(m.splits.test.count, 6);
  for (const name of ['train', 'validation'] as const) {
    const split = d[name];
    const expected = [0, 1, 2].map((c) => split.indices.filter((i) => i % 3 === c).length);
    assert.deepEqual(m.splits[name].classCounts, expected);
  }
  assert.deepEqual([m.splits.train.count, m.splits.validation.count], [15, 5]);
  assert.deepEqual(m.transforms, [
    { type: 'pad', to: 4, value: 0 },
    { type: 'noise', std: 0.05, seed: 1, splits: ['train'] },
    { type: 'normalize', mean: 0.5, std: 0.25 },
  ]);
  assert.equal(m.preprocessing, 'x = pixel / 255; pad 3x3 to 4x4 with 0; x = (x - 0.5) / 0.25');
  // The same steps as data, noise left out (training only), for model.json.
  assert.deepEqual(m.sourceShape, [1, 3, 3]);
  assert.deepEqual(m.steps, [
    { type: 'scale', divide: 255 },
    { type: 'pad', top: 0, bottom: 1, left: 0, right: 1, value: 0 },
    { type: 'normalize', mean: 0.5, std: 0.25 },
  ]);
  assert.deepEqual(m.files.map((f) => f.path), ['d/train-images-idx3-ubyte', 'd/train-labels-idx1-ubyte', 'd/t10k-images-idx3-ubyte', 'd/t10k-labels-idx1-ubyte']);
});

test('a split digest changes with any image value, even by one float32 step, and with any label', async () => {
  const t = (await loadDataset(config, { workspace })).test;
  const digest = (images: Float32Array, labels: Uint8Array) => describeSplit({ ...t, images, labels }, 3).sha256;
  const base = digest(t.images, t.labels);
  assert.equal(digest(t.images.slice(), t.labels.slice()), base, 'the same values, the same digest');
  const nudged = t.images.slice();
  nudged[7] = nudged[7] + Math.abs(nudged[7]) * 2 ** -23 + 1e-30;
  assert.notEqual(nudged[7], t.images[7]);
  assert.notEqual(digest(nudged, t.labels), base);
  const relabelled = t.labels.slice();
  relabelled[3] = (relabelled[3] + 1) % 3;
  assert.notEqual(digest(t.images, relabelled), base);
});

test('split digests are stable across loads and follow the transforms, the noise seed and the split seed', async () => {
  const digests = async (c: Dataset) => {
    const m = describeDataset(await loadDataset(c, { workspace }), c);
    return [m.splits.train.sha256, m.splits.validation.sha256, m.splits.test.sha256];
  };
  const base = await digests(config);
  assert.deepEqual(await digests(config), base);
  const otherNoise = withDefaults<Dataset>('Dataset', { ...config, transforms: [{ type: 'pad', to: 4 }, { type: 'noise', std: 0.05, seed: 2 }, { type: 'normalize', mean: 0.5, std: 0.25 }] });
  const n = await digests(otherNoise);
  assert.notEqual(n[0], base[0]);
  assert.deepEqual(n.slice(1), base.slice(1), 'noise on train only leaves validation and test alone');
  const s = await digests({ ...config, 'split-seed': 9 });
  assert.notEqual(s[1], base[1]);
  assert.equal(s[2], base[2]);
});

test('describing with a config whose transforms give another shape is refused', async () => {
  const d = await loadDataset(config, { workspace });
  assert.throws(() => describeDataset(d, { ...config, transforms: [] }), {
    name: 'DataError',
    message: 'the dataset was loaded with other transforms: images are 1x4x4, the config gives 1x3x3',
  });
});
