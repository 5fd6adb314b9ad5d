/** For tests that check a cache key covers the code it stands for. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace files a source file loads at run time: value imports, re-exports and (when `lazy`) require() calls, not `import type`. */
function localImports(file: string, lazy: boolean): string[] {
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

/** Adds to `seen` every workspace file `start` loads, itself included; with `lazy` false, require() calls (loaded on use) are not followed. */
export function loadedFiles(start: string[], lazy = true, seen = new Set<string>()): Set<string> {
  const todo = [...start];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...localImports(file, lazy));
  }
  return seen;
}
