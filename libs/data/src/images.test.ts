import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { withDefaults, type Dataset } from '../../pipeline-schema';
import { describeDataset } from './describe';
import { DataError } from './errors';
import { datasetFingerprint } from './fingerprint';
import { tempDir, writeMnistImages } from './fixture';
import { loadDataset } from './load';

const workspace = tempDir('trainyard-images-');
after(() => rmSync(workspace, { recursive: true, force: true }));

const load = (d: Partial<Dataset> & Pick<Dataset, 'source'>) => loadDataset(withDefaults<Dataset>('Dataset', d as Dataset), { workspace });

/** Rejects with a DataError whose message is exactly, or matches, `message`. */
async function refused(d: Partial<Dataset> & Pick<Dataset, 'source'>, message: string | RegExp): Promise<void> {
  await assert.rejects(load(d), (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
}

/** A w x h gray PNG of one value. */
async function png(path: string, h: number, w: number, value = 128, channels: 1 | 3 = 1): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await sharp(Buffer.alloc(h * w * channels, value), { raw: { width: w, height: h, channels } }).png().toFile(path);
}

before(async () => {
  await writeMnistImages(join(workspace, 'digits'), { format: 'png', channels: 1, layout: 'folder', perClass: 5, digits: [0, 1, 2] });
  await writeMnistImages(join(workspace, 'split'), { format: 'jpeg', channels: 3, layout: 'split', perClass: 4, digits: [3, 7] });
  await writeMnistImages(join(workspace, 'listed'), { format: 'png', channels: 1, layout: 'csv', perClass: 3, digits: [4, 9] });
});

test('folder: classes are the sorted sub-folders, test held out by dataset.test, every file once', async () => {
  const d = await load({ source: 'folder', path: 'digits', channels: 1, test: 0.2, validation: 0.25 });
  assert.deepEqual(d.classes, ['0', '1', '2']);
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [9, 3, 3]);
  assert.deepEqual(d.sourceShape, [1, 28, 28]);
  // MNIST's pixels, byte / 255: a digit has ink and background
  assert.ok(d.train.images.some((v) => v === 1) && d.train.images.some((v) => v === 0));
  const again = await load({ source: 'folder', path: 'digits', channels: 1, test: 0.2, validation: 0.25 });
  assert.deepEqual(again.train.images, d.train.images, 'the same config gives the same data');
  assert.deepEqual(again.test.labels, d.test.labels);
  const other = await load({ source: 'folder', path: 'digits', channels: 1, test: 0.2, validation: 0.25, 'split-seed': 2 });
  assert.notDeepEqual(other.test.images, d.test.images, 'another split seed holds out other images');
});

test('folder with train/ and test/: that split; JPEG colour to 1 channel is the grayscale of the 3-channel load', async () => {
  const rgb = await load({ source: 'folder', path: 'split', channels: 3, validation: 0 });
  assert.deepEqual(rgb.classes, ['3', '7']);
  assert.deepEqual([rgb.train.count, rgb.test.count], [8, 8]);
  assert.deepEqual(rgb.imageShape, [3, 28, 28]);
  const gray = await load({ source: 'folder', path: 'split', channels: 1, validation: 0 });
  const [r, g, b] = [rgb.test.images[300], rgb.test.images[301], rgb.test.images[302]];
  assert.equal(gray.test.images[100], Math.fround(0.299 * r + 0.587 * g + 0.114 * b));
  const viaTransform = await load({ source: 'folder', path: 'split', channels: 3, validation: 0, transforms: [{ type: 'grayscale' }] });
  assert.deepEqual(viaTransform.test.images, gray.test.images, 'channels: 1 converts exactly as the grayscale transform');
  await refused({ source: 'folder', path: 'split', channels: 3, test: 0.2 }, `dataset.test is 0.2, but ${join(workspace, 'split')} has a test split of its own; remove dataset.test`);
});

test('a gray file read with channels 3 repeats its channel', async () => {
  const d = await load({ source: 'folder', path: 'digits', channels: 3, test: 0.2 });
  for (let p = 0; p < 784; p++) assert.ok(d.train.images[3 * p] === d.train.images[3 * p + 1] && d.train.images[3 * p] === d.train.images[3 * p + 2]);
});

test('csv: named columns, paths relative to the file, the split column; the manifest lists the CSV and the images', async () => {
  const d = await load({ source: 'csv', path: 'listed/digits.csv', channels: 1, columns: { path: 'file', label: 'digit', split: 'split' }, validation: 0 });
  assert.deepEqual(d.classes, ['4', '9']);
  assert.deepEqual([d.train.count, d.test.count], [6, 6]);
  const m = describeDataset(d, withDefaults<Dataset>('Dataset', { source: 'csv', path: 'listed/digits.csv', channels: 1, columns: { path: 'file', label: 'digit', split: 'split' }, validation: 0 }));
  assert.deepEqual(m.files.map((f) => [f.role, f.path]), [['csv', 'listed/digits.csv'], ['images', 'listed']]);
  await refused({ source: 'csv', path: 'listed/digits.csv', channels: 1 }, `${join(workspace, 'listed/digits.csv')}:1: no column 'path' (the header has file, digit, split); set dataset.columns.path`);
});

test('images of different sizes: one line naming two files and their sizes; a resize makes them one, and the card source has no fixed size', async () => {
  await png(join(workspace, 'sizes', 'a', '1.png'), 28, 28);
  await png(join(workspace, 'sizes', 'b', '2.png'), 32, 30);
  const dataset = { source: 'folder' as const, path: 'sizes', channels: 1 as const, test: 0.5, validation: 0 };
  await refused(dataset, /^the images differ in size: .*sizes\/a\/1\.png is 28x28, .*sizes\/b\/2\.png is 32x30; add a resize transform/);
  await refused({ ...dataset, transforms: [{ type: 'pad', to: 40 }, { type: 'resize', to: 16 }] }, /^dataset\.transforms\[0\] \(pad\): the images differ in size/);
  const resized = withDefaults<Dataset>('Dataset', { ...dataset, transforms: [{ type: 'resize', to: 16 }] });
  const d = await loadDataset(resized, { workspace });
  assert.deepEqual(d.imageShape, [1, 16, 16]);
  const m = describeDataset(d, resized);
  assert.deepEqual(m.sourceShape, [1, null, null]);
  assert.deepEqual(m.steps, [{ type: 'scale', divide: 255 }, { type: 'resize', height: 16, width: 16, fit: 'stretch', value: 0 }]);
});

test('bad input: each a one-line DataError naming the file', async () => {
  const bad = join(workspace, 'bad');
  await png(join(bad, 'a', '1.png'), 8, 8);
  await png(join(bad, 'b', '1.png'), 8, 8);
  const d = { source: 'folder' as const, path: 'bad', channels: 1 as const, test: 0.5, validation: 0 };
  await load(d); // fine as it is

  const truncated = join(bad, 'b', '2.png');
  await png(truncated, 8, 8, 7);
  truncateSync(truncated, 40);
  await refused(d, new RegExp(`^${truncated}: a damaged or truncated image \\(`));
  const jpeg = join(bad, 'b', '2.jpg');
  unlinkSync(truncated);
  const noise = Buffer.from(Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256));
  const size = (await sharp(noise, { raw: { width: 8, height: 8, channels: 3 } }).jpeg().toFile(jpeg)).size;
  truncateSync(jpeg, Math.floor(size / 2));
  await refused(d, new RegExp(`^${jpeg}: a damaged or truncated image \\(`));
  unlinkSync(jpeg);

  const text = join(bad, 'a', 'notes.txt');
  writeFileSync(text, 'not an image\n');
  await refused(d, new RegExp(`^${text}: not an image \\(`));
  unlinkSync(text);

  mkdirSync(join(bad, 'c'));
  await refused(d, `${join(workspace, 'bad', 'c')}: an empty class folder; add its images, or remove it`);
  rmSync(join(bad, 'c'), { recursive: true });

  const outside = join(workspace, 'outside.png');
  await png(outside, 8, 8);
  const link = join(bad, 'a', 'link.png');
  symlinkSync(outside, link);
  await refused(d, `${link}: leads out of ${bad} (to ${outside}); a dataset's files must lie inside its folder: copy the file in instead of linking to it`);
  unlinkSync(link);
  symlinkSync(join(bad, 'b', '1.png'), link);
  assert.equal((await load(d)).train.count + (await load(d)).test.count, 3, 'a link inside the folder is followed');
  unlinkSync(link);

  await png(join(workspace, 'one', 'only', '1.png'), 8, 8);
  await refused({ ...d, path: 'one' }, `${join(workspace, 'one', 'only')}: the only class folder; a classifier needs at least two classes`);
  await refused({ source: 'folder', path: 'bad', test: 0.5 }, 'dataset.channels: source folder needs it, 1 or 3: the channels every image is converted to');
  await refused({ source: 'folder', path: 'bad', channels: 1 }, `${bad} has no test split of its own (no train/ and test/ folders): set dataset.test to the fraction of the images to hold out for testing, e.g. 0.2`);
});

test('bad CSV rows: a missing file and an unknown label name the CSV line', async () => {
  const dir = join(workspace, 'rows');
  await png(join(dir, 'x.png'), 8, 8);
  await png(join(dir, 'y.png'), 8, 8);
  const csv = join(dir, 'list.csv');
  const d = { source: 'csv' as const, path: 'rows/list.csv', channels: 1 as const, test: 0.5, validation: 0 };
  writeFileSync(csv, 'path,label\nx.png,cat\ny.png,dog\nz.png,dog\n');
  await refused(d, `${csv}:4: ${join(dir, 'z.png')}: no such file (or a broken symbolic link)`);
  writeFileSync(csv, 'path,label\nx.png,cat\n"y.png",bird\n');
  await refused({ ...d, classes: ['cat', 'dog'] }, `${csv}:3: label 'bird' is not one of dataset.classes (cat, dog)`);
  writeFileSync(csv, 'path,label\nx.png,cat\ny.png,cat\n');
  await refused(d, `${csv}: every row has label 'cat'; a classifier needs at least two classes`);
});

test('fingerprint: the same for an untouched or touched folder; another after adding, removing or editing one image, or editing the CSV', async () => {
  const d = withDefaults<Dataset>('Dataset', { source: 'folder', path: 'digits', channels: 1, test: 0.2 });
  const fp = () => datasetFingerprint(d, { workspace })!.digest;
  const base = fp();
  assert.equal(fp(), base);
  assert.equal(datasetFingerprint(d, { workspace })!.files, 15);
  const added = join(workspace, 'digits', '1', 'extra.png');
  await png(added, 28, 28);
  const withAdded = fp();
  assert.notEqual(withAdded, base);
  unlinkSync(added);
  assert.equal(fp(), base, 'removing it again restores the listing');
  const file = join(workspace, 'digits', '2', 'train-5.png');
  const bytes = readFileSync(file);
  const { mtime } = require('node:fs').statSync(file);
  writeFileSync(file, bytes);
  utimesSync(file, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
  assert.equal(fp(), base, 'rewritten and touched, with the same bytes: the same fingerprint');
  const edited = Buffer.from(bytes);
  edited[edited.length - 20] ^= 1;
  writeFileSync(file, edited);
  utimesSync(file, mtime, mtime);
  assert.notEqual(fp(), base, 'one byte edited, with the size and the modification time put back');
  writeFileSync(file, bytes);
  assert.equal(fp(), base);
  assert.equal(datasetFingerprint(withDefaults<Dataset>('Dataset', { source: 'mnist' }), { workspace }), undefined, 'IDX sources have none');
  const csv = withDefaults<Dataset>('Dataset', { source: 'csv', path: 'listed/digits.csv', channels: 1, columns: { path: 'file', label: 'digit', split: 'split' } });
  const before = datasetFingerprint(csv, { workspace })!.digest;
  const csvFile = join(workspace, 'listed', 'digits.csv');
  const rows = readFileSync(csvFile, 'utf8').trimEnd().split('\n');
  const last = rows.findLastIndex((r) => r.endsWith(',train'));
  writeFileSync(csvFile, [...rows.slice(0, last), rows[last].replace(/,train$/, ',test'), ...rows.slice(last + 1)].join('\n') + '\n');
  assert.notEqual(datasetFingerprint(csv, { workspace })!.digest, before, 'the last train row moved to the test split');
  writeFileSync(csvFile, rows.join('\n') + '\n');
  assert.equal(datasetFingerprint(csv, { workspace })!.digest, before);
});

test('fingerprint: the same files elsewhere, written anew, in another workspace, give the same fingerprint', async () => {
  const other = tempDir('trainyard-images-other-');
  try {
    cpSync(join(workspace, 'digits'), join(other, 'data', 'digits'), { recursive: true });
    const later = new Date(Date.now() + 3_600_000);
    for (const c of ['0', '1', '2']) for (const f of readdirSync(join(other, 'data', 'digits', c))) utimesSync(join(other, 'data', 'digits', c, f), later, later);
    const fp = (ws: string, path: string) => datasetFingerprint(withDefaults<Dataset>('Dataset', { source: 'folder', path, channels: 1, test: 0.2 }), { workspace: ws })!.digest;
    assert.equal(fp(other, 'data/digits'), fp(workspace, 'digits'));
    renameSync(join(other, 'data', 'digits', '2'), join(other, 'data', 'digits', '3'));
    assert.notEqual(fp(other, 'data/digits'), fp(workspace, 'digits'), 'a class renamed');
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
