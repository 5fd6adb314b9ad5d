import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { withDefaults, type Dataset } from '../../pipeline-schema';
import { DataError } from './errors';
import { syntheticParts, tempDir, writeIdxDataset } from './fixture';
import { encodeIdx } from './idx';
import { loadDataset as loadResolved } from './load';
import { FASHION_MNIST_DEFAULT_DIR } from './sources';
import type { LoadOptions } from './types';

const workspace = tempDir();
after(() => rmSync(workspace, { recursive: true, force: true }));

// 20 training and 5 test images of 3x3, labels i % 4; pixel 0 of each image is its number in the file
const parts = syntheticParts(20, 5, 3, 3, 4);
writeIdxDataset(join(workspace, 'plain'), parts);
writeIdxDataset(join(workspace, 'gz'), parts, true);

/** As a stage loads it: the config with the schema's defaults, as loadPipeline fills them. */
async function loadDataset(config: Dataset, options: LoadOptions) {
  return loadResolved(withDefaults('Dataset', config), options);
}

test('idx 20/5 samples, validation=0.25: 15/5/5, each sample the bytes / 255 of its index', async () => {
  const d = await loadDataset({ source: 'idx', path: 'plain', validation: 0.25 }, { workspace });
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [15, 5, 5]);
  assert.deepEqual(d.classes, ['0', '1', '2', '3']);
  assert.deepEqual(d.imageShape, [1, 3, 3]);
  assert.deepEqual(d.test.indices, [0, 1, 2, 3, 4]);
  for (const [split, source] of [[d.train, parts['train-images']], [d.validation, parts['train-images']], [d.test, parts['test-images']]] as const) {
    assert.equal(split.images.length, split.count * 9);
    split.indices.forEach((index, k) => {
      const expected = Array.from({ length: 9 }, (_, p) => Math.fround(source.data[index * 9 + p] / 255));
      assert.deepEqual(Array.from(split.images.subarray(k * 9, k * 9 + 9)), expected);
      assert.equal(split.labels[k], index % 4);
    });
  }
  assert.deepEqual([...d.train.indices, ...d.validation.indices].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
});

test('gzipped files give the same data; files are listed workspace-relative with the sha256 of their bytes', async () => {
  const plain = await loadDataset({ source: 'idx', path: 'plain' }, { workspace });
  const gz = await loadDataset({ source: 'idx', path: join(workspace, 'gz') }, { workspace });
  assert.deepEqual(gz.train.images, plain.train.images);
  assert.deepEqual(gz.test.labels, plain.test.labels);
  assert.deepEqual(gz.files.map((f) => [f.role, f.path]), [
    ['train-images', 'gz/train-images-idx3-ubyte.gz'],
    ['train-labels', 'gz/train-labels-idx1-ubyte.gz'],
    ['test-images', 'gz/t10k-images-idx3-ubyte.gz'],
    ['test-labels', 'gz/t10k-labels-idx1-ubyte.gz'],
  ]);
  const sha = createHash('sha256').update(readFileSync(join(workspace, 'gz/t10k-labels-idx1-ubyte.gz'))).digest('hex');
  assert.equal(gz.files[3].sha256, sha);
  assert.notEqual(plain.files[3].sha256, sha);
});

test('the same config loads the same indices; another split-seed others', async () => {
  const config: Dataset = { source: 'idx', path: 'plain', 'split-seed': 4 };
  const a = await loadDataset(config, { workspace });
  assert.deepEqual((await loadDataset(config, { workspace })).train.indices, a.train.indices);
  assert.notDeepEqual((await loadDataset({ ...config, 'split-seed': 5 }, { workspace })).train.indices, a.train.indices);
});

test('limit train=12 test=2 with validation=0.25: 9/3/2', async () => {
  const d = await loadDataset({ source: 'idx', path: 'plain', validation: 0.25, limit: { train: 12, test: 2 } }, { workspace });
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [9, 3, 2]);
  assert.deepEqual(d.test.indices, [0, 1]);
});

test('pad + normalize give [1,5,5] images whose border holds the normalized pad value', async () => {
  const d = await loadDataset({ source: 'idx', path: 'plain', transforms: [{ type: 'pad', to: 5 }, { type: 'normalize', mean: 0.5, std: 0.5 }] }, { workspace });
  assert.deepEqual(d.imageShape, [1, 5, 5]);
  assert.deepEqual(d.sourceShape, [1, 3, 3]);
  assert.equal(d.test.images.length, 5 * 25);
  assert.equal(d.test.images[0], -1);
  // test image 3, pixel (0,0) is byte 3 and lands at (1,1) of the canvas
  assert.equal(d.test.images[3 * 25 + 6], Math.fround((Math.fround(3 / 255) - 0.5) / 0.5));
});

test('image and label counts must match', async () => {
  const dir = join(workspace, 'mismatch');
  writeIdxDataset(dir, { ...parts, 'train-labels': { dims: [19], data: new Array(19).fill(0) } });
  await assert.rejects(() => loadDataset({ source: 'idx', path: dir }, { workspace }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message, `${join(dir, 'train-images-idx3-ubyte')} holds 20 images but ${join(dir, 'train-labels-idx1-ubyte')} holds 19 labels`);
    return true;
  });
});

test('train and test images must have one size', async () => {
  const dir = join(workspace, 'sizes');
  writeIdxDataset(dir, { ...parts, 'test-images': { dims: [5, 2, 2], data: new Array(20).fill(0) } });
  await assert.rejects(() => loadDataset({ source: 'idx', path: dir }, { workspace }), {
    message: `${join(dir, 't10k-images-idx3-ubyte')} holds 1x2x2 images (CxHxW) but ${join(dir, 'train-images-idx3-ubyte')} holds 1x3x3`,
  });
});

test('dataset.classes must name every label; a broken file stops the load with its own message', async () => {
  await assert.rejects(() => loadDataset({ source: 'idx', path: 'plain', classes: ['a', 'b', 'c'] }, { workspace }), {
    message: `dataset.classes has 3 classes but the labels go up to 3 (${join(workspace, 'plain', 'train-labels-idx1-ubyte')}); give one name per label`,
  });
  assert.deepEqual((await loadDataset({ source: 'idx', path: 'plain', classes: ['a', 'b', 'c', 'd'] }, { workspace })).classes, ['a', 'b', 'c', 'd']);
  const dir = join(workspace, 'broken');
  const bad = encodeIdx([5], [0, 1, 2, 3, 0]);
  bad[2] = 0x0c;
  writeIdxDataset(dir, parts);
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), bad);
  await assert.rejects(() => loadDataset({ source: 'idx', path: dir }, { workspace }), {
    message: `${join(dir, 't10k-labels-idx1-ubyte')}: IDX type 0x0c (int32) is not supported; expected 0x08 (unsigned byte)`,
  });
});

test('fashion-mnist without its files says how to get them', async () => {
  const absent = join(workspace, 'nowhere');
  await assert.rejects(() => loadDataset({ source: 'fashion-mnist' }, { workspace, env: { TRAINYARD_FASHION_MNIST_DIR: absent } }), {
    name: 'DataError',
    message: new RegExp(`^fashion-mnist: ${absent} \\(from TRAINYARD_FASHION_MNIST_DIR\\) is not a directory\\. Get it with \`apt-get install dataset-fashion-mnist\`, or set dataset\\.path or TRAINYARD_FASHION_MNIST_DIR`),
  });
});

test('real MNIST, validation=0.1, pad 32 + normalize: 54000/6000/10000, first test label 7', async () => {
  const d = await loadDataset(
    { source: 'mnist', validation: 0.1, transforms: [{ type: 'pad', to: 32 }, { type: 'normalize', mean: 0.1307, std: 0.3081 }] },
    { workspace: process.cwd() },
  );
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [54000, 6000, 10000]);
  assert.equal(d.test.labels[0], 7);
  assert.deepEqual(Array.from(d.test.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
  assert.deepEqual(d.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(d.imageShape, [1, 32, 32]);
  assert.equal(d.train.images.length, 54000 * 1024);
  assert.equal(d.train.labels.length, 54000);
  assert.equal(new Set([...d.train.indices, ...d.validation.indices]).size, 60000);
  assert.equal(d.test.images[0], Math.fround(-0.1307 / 0.3081));
  assert.deepEqual(d.files.map((f) => f.role), ['train-images', 'train-labels', 'test-images', 'test-labels']);
  assert.equal(d.files[0].sha256, 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db');
});

test('real Fashion-MNIST (gzipped, when installed): official class names, first test item an ankle boot', { skip: !existsSync(FASHION_MNIST_DEFAULT_DIR) && `${FASHION_MNIST_DEFAULT_DIR} is absent` }, async () => {
  const d = await loadDataset({ source: 'fashion-mnist', limit: { train: 100, test: 3 } }, { workspace, env: {} });
  assert.deepEqual(Array.from(d.test.labels), [9, 2, 1]);
  assert.equal(d.classes[d.test.labels[0]], 'Ankle boot');
  assert.deepEqual([d.train.count, d.validation.count], [90, 10]);
});

test('a config without the schema defaults is refused: they come from loadPipeline or withDefaults', async () => {
  await assert.rejects(() => loadResolved({ source: 'idx', path: 'plain' }, { workspace }), /withDefaults\('Dataset', \.\.\.\)/);
});

test('a label beyond the classes names its file; a file without images says so', async () => {
  const dir = join(workspace, 'label-200');
  writeIdxDataset(dir, { ...parts, 'test-labels': { dims: [5], data: [0, 1, 200, 3, 0] } });
  await assert.rejects(() => loadDataset({ source: 'idx', path: dir, classes: ['a', 'b', 'c', 'd'] }, { workspace }), {
    message: `dataset.classes has 4 classes but the labels go up to 200 (${join(dir, 't10k-labels-idx1-ubyte')}); give one name per label`,
  });
  const empty = join(workspace, 'empty');
  writeIdxDataset(empty, { ...parts, 'train-images': { dims: [0, 3, 3], data: [] }, 'train-labels': { dims: [0], data: [] } });
  await assert.rejects(() => loadDataset({ source: 'idx', path: empty }, { workspace }), { message: `${join(empty, 'train-images-idx3-ubyte')} holds no images` });
});
