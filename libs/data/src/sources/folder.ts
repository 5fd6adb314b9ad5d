import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedDataset } from '../config';
import { DataError } from '../errors';
import { filesUnder, stat } from './image-files';
import type { DatasetSource, ImageFile, ImageListing } from './types';

/** The sub-folders of `dir` (links followed), sorted; hidden ones skipped. Files beside them are refused: they belong to no class. */
function subFolders(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  const file = names.find((n) => !stat(join(dir, n), 'the folder').isDirectory());
  if (file !== undefined) throw new DataError(`${join(dir, file)}: a file beside the class folders; put each image in its class's folder`);
  return names;
}

/** The files of each class in `present` (a test folder may lack some), labelled by their place in `classes`. */
function classFiles(root: string, dir: string, classes: string[], present = classes): ImageFile[] {
  const files: ImageFile[] = [];
  classes.forEach((name, label) => {
    if (!present.includes(name)) return;
    const found = filesUnder(root, join(dir, name), label);
    if (found.length === 0) throw new DataError(`${join(dir, name)}: an empty class folder; add its images, or remove it`);
    files.push(...found);
  });
  return files;
}

/** The class names in label order: `dataset.classes` when given (it must name exactly the folders), else the folders sorted. */
function classOrder(found: string[], declared: readonly string[] | undefined, dir: string): string[] {
  if (found.length === 0) throw new DataError(`${dir}: no class folders; expected one sub-folder of images per class`);
  if (found.length === 1) throw new DataError(`${join(dir, found[0])}: the only class folder; a classifier needs at least two classes`);
  if (declared === undefined) return found;
  const missing = found.filter((c) => !declared.includes(c));
  const extra = declared.filter((c) => !found.includes(c));
  if (missing.length || extra.length) {
    const parts = [missing.length && `folders not in dataset.classes: ${missing.join(', ')}`, extra.length && `dataset.classes without a folder: ${extra.join(', ')}`].filter(Boolean);
    throw new DataError(`${dir}: ${parts.join('; ')}`);
  }
  return [...declared];
}

/**
 * `path/<class>/*`, or `path/train/<class>/*` and `path/test/<class>/*` when `path` holds just those two
 * folders. Files are listed by sorted path, recursively inside each class folder.
 */
export const folder: DatasetSource = {
  pathIs: 'a folder with one sub-folder of images per class',
  remedy: () => 'dataset.path must be a folder with one sub-folder of images per class (or train/ and test/ folders, each with them).',
  list(config: ResolvedDataset, path: string): ImageListing {
    const s = stat(path, 'the folder');
    if (!s.isDirectory()) throw new DataError(`${path} (dataset.path) is not a folder. ${folder.remedy('dataset.path', '')}`);
    const root = realpathSync(path);
    const top = subFolders(path);
    const rootStat = { path, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
    if (top.length === 2 && top[0] === 'test' && top[1] === 'train') {
      const classes = classOrder(subFolders(join(path, 'train')), config.classes, join(path, 'train'));
      const testClasses = subFolders(join(path, 'test'));
      const unknown = testClasses.find((c) => !classes.includes(c));
      if (unknown !== undefined) throw new DataError(`${join(path, 'test', unknown)}: class '${unknown}' has no folder in ${join(path, 'train')}`);
      return { classes, train: classFiles(root, join(path, 'train'), classes), test: classFiles(root, join(path, 'test'), classes, testClasses), root: rootStat };
    }
    const classes = classOrder(top, config.classes, path);
    return { classes, train: classFiles(root, path, classes), root: rootStat };
  },
};
