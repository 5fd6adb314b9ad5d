/** The dependency rules of libs/dependencies.json, checked against every import in libs/, apps/ and scripts/. */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import rules from './dependencies.json';

const root = resolve(__dirname, '..');
const libs = rules.libs as Record<string, string[]>;
const testDeps = rules.tests as Record<string, string[]>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mjs|cjs|js)$/.test(name) ? [path] : [];
  });
}

/** `libs/graph`, `apps/cli`, `scripts` (or `libs` for this test): the unit a workspace file belongs to. */
function unitOf(file: string): string {
  const parts = relative(root, file).split(sep);
  return (parts[0] === 'libs' || parts[0] === 'apps') && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

const isTestCode = (file: string) => /\.test\.ts$|(^|\/)testing(\.ts$|\/)|^apps\/bench\//.test(relative(root, file).split(sep).join('/'));

/** Every relative import of a file (import, export ... from, import(), require()), resolved to the file it loads. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const path = resolve(dirname(file), s);
      return [path, `${path}.ts`, join(path, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile()) ?? path;
    });
}

/** What is wrong with `file` importing `target`, or undefined when the rules allow it. */
function problem(file: string, target: string): string | undefined {
  const from = unitOf(file);
  const to = unitOf(target);
  if (from === to) return undefined;
  const inside = relative(join(root, to), target).replace(/\.ts$/, '');
  const face = inside === '' || inside === 'index' || (inside === 'testing' && isTestCode(file));
  if (!to.startsWith('libs/') && !(to.startsWith('apps/') && inside === 'testing' && isTestCode(file))) return `${to} is not a lib`;
  if (!face) return `enters ${to} past its index.ts${isTestCode(file) ? ' (or testing.ts)' : ''}`;
  if (!from.startsWith('libs/') || !to.startsWith('libs/')) return undefined;
  const [a, b] = [from.slice(5), to.slice(5)];
  const allowed = [...libs[a], ...(isTestCode(file) ? (testDeps[a] ?? []) : [])];
  return allowed.includes(b) ? undefined : `${a} may not import ${b} (libs/dependencies.json)`;
}

test('every lib is listed in libs/dependencies.json, has an index.ts, and imports only libs listed before it', () => {
  const folders = readdirSync(join(root, 'libs')).filter((n) => statSync(join(root, 'libs', n)).isDirectory());
  assert.deepEqual([...folders].sort(), Object.keys(libs).sort());
  const order = Object.keys(libs);
  for (const [lib, deps] of Object.entries(libs)) {
    assert.ok(existsSync(join(root, 'libs', lib, 'index.ts')), `libs/${lib}/index.ts`);
    for (const dep of [...deps, ...(testDeps[lib] ?? [])]) assert.ok(order.includes(dep), `${lib} -> ${dep}: no such lib`);
    for (const dep of deps) assert.ok(order.indexOf(dep) < order.indexOf(lib), `${lib} -> ${dep}: listed after it, so the rules would allow a cycle`);
  }
});

test('every import in libs/, apps/ and scripts/ follows the rules', () => {
  const files = ['libs', 'apps', 'scripts'].flatMap((d) => sources(join(root, d)));
  const broken = files.flatMap((file) =>
    importsOf(file).flatMap((target) => {
      const why = problem(file, target);
      return why ? [`${relative(root, file)} -> ${relative(root, target)}: ${why}`] : [];
    }),
  );
  assert.ok(files.length > 100, `found ${files.length} files`);
  assert.deepEqual(broken, []);
  // ... and the rules list no more than is used (code for `libs`, tests for `tests`), so they say what the code is.
  const edges = (from: string[]) => new Set(from.flatMap((file) => importsOf(file).map((target) => `${unitOf(file)} -> ${unitOf(target)}`)));
  const [byCode, byTests] = [edges(files.filter((f) => !isTestCode(f))), edges(files.filter(isTestCode))];
  const unused = Object.entries(libs).flatMap(([lib, deps]) => [
    ...deps.filter((dep) => !byCode.has(`libs/${lib} -> libs/${dep}`)).map((dep) => `${lib} -> ${dep}`),
    ...(testDeps[lib] ?? []).filter((dep) => !byTests.has(`libs/${lib} -> libs/${dep}`)).map((dep) => `${lib} -> ${dep} (tests)`),
  ]);
  assert.deepEqual(unused, [], 'listed in libs/dependencies.json but never imported');
});

test('the check catches a deep import, a lib importing upwards, and a test helper used outside tests', () => {
  const at = (p: string) => join(root, p);
  assert.match(problem(at('libs/charts/src/write.ts'), at('libs/data/src/sources.ts'))!, /past its index/);
  assert.match(problem(at('libs/graph/src/describe.ts'), at('libs/train/index.ts'))!, /graph may not import train/);
  assert.match(problem(at('libs/plan/src/plan.ts'), at('libs/pipeline-file/testing.ts'))!, /past its index/);
  assert.equal(problem(at('libs/plan/plan.test.ts'), at('libs/pipeline-file/testing.ts')), undefined);
  assert.match(problem(at('apps/bench/main.ts'), at('apps/cli/main.ts'))!, /not a lib/);
});
