import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { stageCode } from './code';

const root = resolve(__dirname, '../../..');

/** The workspace files a source file loads at run time: value imports, re-exports and require() calls, not `import type`. */
function localImports(file: string, lazy = true): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...(lazy ? text.matchAll(/(?<!typeof import\(.*)require\('([^']+)'\)/g) : []),
  ].map((m) => m[1]);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => [`${s}.ts`, `${s}/index.ts`, s].map((c) => join(dirname(file), c)).find((c) => existsSync(c) && c.endsWith('.ts')))
    .filter((f): f is string => f !== undefined);
}

for (const [kind, { libs, files }] of Object.entries(stageCode)) {
  test(`the ${kind} stage's cache inputs cover every workspace file it loads`, () => {
    // The CLI requires its other commands on use, and run.ts each kind's runner: the walk takes what the
    // CLI always loads (static imports only), then this kind's runner and all it loads.
    const seen = new Set<string>();
    const walk = (start: string[], lazy: boolean) => {
      const todo = [...start];
      while (todo.length) {
        const file = todo.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        todo.push(...localImports(file, lazy));
      }
    };
    walk([join(root, 'apps/cli/main.ts')], false);
    walk([join(root, `libs/stages/src/${kind}.ts`), join(root, 'libs/stages/src/context.ts')], true);
    const covered = (f: string) => files.includes(f) || libs.some((lib) => f.startsWith(`libs/${lib}/`));
    const uncovered = [...seen].map((f) => relative(root, f)).filter((f) => !covered(f));
    assert.deepEqual(uncovered, [], `loaded by the ${kind} stage but not among its cache inputs (libs/plan/src/code.ts)`);
    assert.ok(seen.size > 2, 'the walk found the imports');
  });
}
