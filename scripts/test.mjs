// Runs every *.test.ts under libs/, apps/ and scripts/ with node's test runner (TypeScript through tsx): the unit
// tests first, several files at once (one per core), then the end-to-end tests (*.e2e.test.ts) one file
// at a time, since each drives Nx, a server or a browser across every core.
//   npm test -- graph data            the test files whose path contains "graph" or "data"
//   npm test -- --name "parity"       the tests whose name matches the pattern (in every file, or those given)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const { values, positionals: filters } = parseArgs({ allowPositionals: true, options: { name: { type: 'string', short: 'n', multiple: true } } });

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.test.ts')) yield relative(root, path);
  }
}

const files = ['libs', 'apps', 'scripts']
  .flatMap((d) => [...walk(join(root, d))])
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(', ')}`);
  process.exit(1);
}
const names = (values.name ?? []).map((n) => `--test-name-pattern=${n}`);
const run = (group, concurrency) =>
  group.length === 0 ? 0 : (spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...names, ...group], { cwd: root, stdio: 'inherit' }).status ?? 1);
const e2e = files.filter((f) => f.endsWith('.e2e.test.ts'));
const units = run(files.filter((f) => !e2e.includes(f)), availableParallelism());
const ends = run(e2e, 1);
process.exit(units || ends);
