import { strict as assert } from 'node:assert';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { loadedFiles } from '../testing';
import { stageCode } from './code';

const root = resolve(__dirname, '../../..');

for (const [kind, { libs, files }] of Object.entries(stageCode)) {
  test(`the ${kind} stage's cache inputs cover every workspace file it loads`, () => {
    // The CLI requires its other commands on use, and run.ts each kind's runner: the walk takes what the
    // CLI always loads (static imports only), then this kind's runner and all it loads.
    const seen = loadedFiles([join(root, `libs/stages/src/${kind}.ts`), join(root, 'libs/stages/src/context.ts')], true, loadedFiles([join(root, 'apps/cli/main.ts')], false));
    const covered = (f: string) => files.includes(f) || libs.some((lib) => f.startsWith(`libs/${lib}/`));
    const uncovered = [...seen].map((f) => relative(root, f)).filter((f) => !covered(f));
    assert.deepEqual(uncovered, [], `loaded by the ${kind} stage but not among its cache inputs (libs/plan/src/code.ts)`);
    assert.ok(seen.size > 2, 'the walk found the imports');
  });
}
