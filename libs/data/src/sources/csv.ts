import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { csvColumnDefaults } from '../../../pipeline-schema';
import type { ResolvedDataset } from '../config';
import { DataError } from '../errors';
import { csvRows } from './csv-rows';
import { fileOf, realInside, stat } from './image-files';
import type { DatasetSource, ImageFile, ImageListing } from './types';

const SPLITS = ['train', 'test'];

/**
 * A CSV file with a header row: one image per row, its path relative to the CSV file (and inside its
 * folder), its class label, and optionally its split. Rows keep the file's order.
 */
export const csv: DatasetSource = {
  pathIs: 'a CSV file of image paths and labels',
  remedy: () => 'dataset.path must be a CSV file with a header row and a path and a label column (dataset.columns names them).',
  list(config: ResolvedDataset, path: string): ImageListing {
    const s = stat(path, 'the CSV file');
    if (s.isDirectory()) throw new DataError(`${path} (dataset.path) is a folder; source csv reads a CSV file (source folder reads a folder)`);
    const names = { ...csvColumnDefaults, ...config.columns };
    const [header, ...rows] = csvRows(readFileSync(path, 'utf8'), path);
    if (header === undefined || rows.length === 0) throw new DataError(`${path}: no rows; expected a header row, then one row per image`);
    const column = (key: 'path' | 'label' | 'split') => {
      const at = header.fields.indexOf(names[key]!);
      if (at < 0) throw new DataError(`${path}:1: no column '${names[key]}' (the header has ${header.fields.join(', ')}); set dataset.columns.${key}`);
      return at;
    };
    const [pathAt, labelAt] = [column('path'), column('label')];
    const splitAt = names.split !== undefined ? column('split') : undefined;
    const classes = config.classes ? [...config.classes] : [...new Set(rows.map((r) => r.fields[labelAt] ?? ''))].sort();
    const root = realpathSync(dirname(path));
    const seen = new Map<string, number>();
    const train: ImageFile[] = [];
    const test: ImageFile[] = [];
    for (const { line, fields } of rows) {
      const [file, label] = [fields[pathAt] ?? '', fields[labelAt] ?? ''];
      if (file === '') throw new DataError(`${path}:${line}: no path in column '${names.path}'`);
      if (label === '') throw new DataError(`${path}:${line}: no label in column '${names.label}'`);
      const index = classes.indexOf(label);
      if (index < 0) throw new DataError(`${path}:${line}: label '${label}' is not one of dataset.classes (${classes.join(', ')})`);
      const image = resolve(dirname(path), file);
      const twice = seen.get(image);
      if (twice !== undefined) throw new DataError(`${path}:${line}: ${file} is listed twice (also on line ${twice})`);
      seen.set(image, line);
      let fileStat;
      try {
        fileStat = stat(realInside(root, image), 'the image');
      } catch (e) {
        throw e instanceof DataError ? new DataError(`${path}:${line}: ${e.message}`) : e;
      }
      if (!fileStat.isFile()) throw new DataError(`${path}:${line}: ${file} is not a file`);
      const split = splitAt === undefined ? 'train' : fields[splitAt];
      if (!SPLITS.includes(split)) throw new DataError(`${path}:${line}: split '${split ?? ''}' in column '${names.split}'; expected train or test`);
      (split === 'test' ? test : train).push(fileOf(image, index, fileStat));
    }
    if (classes.length < 2) throw new DataError(`${path}: every row has label '${classes[0]}'; a classifier needs at least two classes`);
    if (train.length === 0) throw new DataError(`${path}: no row is in the train split`);
    if (splitAt !== undefined && test.length === 0) throw new DataError(`${path}: no row is in the test split (column '${names.split}')`);
    return { classes, train, ...(splitAt !== undefined && { test }), root: { path, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs } };
  },
};
