import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CreateNodesContextV2, TargetConfiguration } from 'nx/src/devkit-exports';
import { createNodesV2, datasetFilesEnv, fingerprintDatasets, nxParallel } from './index';
import { inferenceCache } from './inference-cache';
import { workspaceDataDir } from '../data/testing';
import { workspaceDataDirectoryForWorkspace } from 'nx/src/utils/cache-directory';
import { ALIAS_BOMB } from '../pipeline-file/testing';

const repo = join(__dirname, '..', '..');

async function infer(files: Record<string, string>): Promise<Record<string, TargetConfiguration>> {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-plugin-'));
  mkdirSync(join(root, 'pipelines'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'pipelines', name), text);
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
  const results = await createNodesV2[1](Object.keys(files).map((f) => `pipelines/${f}`), undefined, context);
  // Targets keyed `<project>:<target>`, so both projects' targets can be checked.
  const targets: Record<string, TargetConfiguration> = {};
  for (const [, result] of results) {
    for (const project of Object.values(result.projects ?? {})) {
      for (const [name, target] of Object.entries(project.targets ?? {})) targets[`${project.name}:${name}`] = target;
    }
  }
  return targets;
}

const lenet = readFileSync(join(repo, 'pipelines', 'lenet-l2.yaml'), 'utf8');

test('every pipelines/*.yaml becomes targets of the project "pipeline"; each stage task is a project of its own', async () => {
  const targets = await infer({ 'lenet-l2.yaml': lenet, 'other.yaml': lenet });
  const stages = ['data', 'train', 'export', 'evaluate', 'features', 'charts'];
  assert.deepEqual(
    Object.keys(targets).sort(),
    [...['lenet-l2', 'other'].flatMap((p) => [`pipeline:${p}`, ...stages.map((s) => `pipeline:${p}.${s}`), ...stages.map((s) => `${p}.${s}:${s}`)])].sort(),
  );
  // A full run depends on the stage tasks themselves, so Nx lists each stage once.
  assert.deepEqual(targets['pipeline:lenet-l2'].dependsOn, stages.map((s) => ({ projects: [`lenet-l2.${s}`], target: s })));
  assert.deepEqual(targets['pipeline:lenet-l2.train'].dependsOn, [{ projects: ['lenet-l2.train'], target: 'train' }]);
  assert.ok(targets['pipeline:lenet-l2.train'].metadata?.description, 'nx show project pipeline describes each stage');
  assert.equal(targets['pipeline:lenet-l2'].cache, true, 'a replay reports every task as a cache hit');
  const train = targets['lenet-l2.train:train'];
  assert.match(train.command!, /^exec node --import tsx apps\/cli\/main\.ts stage pipelines\/lenet-l2\.yaml train --key [0-9a-f]{20}-(wasm|tensorflow|cpu)-t\d+$/);
  assert.match(targets['lenet-l2.data:data'].command!, /stage pipelines\/lenet-l2\.yaml data --key [0-9a-f]{20}$/);
  assert.equal(train.cache, true);
  assert.deepEqual(train.outputs, ['{workspaceRoot}/artifacts/lenet-l2/train']);
  assert.deepEqual(train.dependsOn, [{ projects: ['lenet-l2.data'], target: 'data' }]);
  assert.ok(!train.inputs?.some((i) => typeof i === 'object' && 'runtime' in i), 'no process per task to compute a key');
  assert.ok(train.inputs?.some((i) => typeof i === 'object' && 'env' in i && i.env === 'TRAINYARD_BACKEND'));
  assert.ok(train.inputs?.includes('{workspaceRoot}/libs/train/**/*'));
  assert.ok(train.inputs?.includes('{workspaceRoot}/libs/kernels/**/*'), 'the wasm kernels the trainer registers');
  assert.ok(!targets['lenet-l2.export:export'].inputs?.includes('{workspaceRoot}/libs/kernels/**/*'), 'export does not re-run when a kernel changes');
  assert.ok(!targets['lenet-l2.charts:charts'].inputs?.includes('{workspaceRoot}/libs/train/**/*'), 'charts does not re-run when the trainer changes');
  assert.ok(!train.inputs?.some((i) => typeof i === 'string' && i.includes('pipelines/')), 'the YAML file itself is not an input');
  for (const helper of ['!{workspaceRoot}/libs/train/testing.ts', '!{workspaceRoot}/libs/pipeline-file/testing.ts', '!{workspaceRoot}/libs/train/**/testing/**']) {
    assert.ok(train.inputs?.includes(helper), `test fixtures do not re-run stages: ${helper}`);
  }
  assert.ok(train.inputs?.includes('{workspaceRoot}/apps/cli/main.ts'), 'the CLI that runs the stage');
  assert.ok(!train.inputs?.some((i) => typeof i === 'string' && i.includes('apps/cli/') && !i.endsWith('main.ts')), 'the CLI\'s other commands (diff) do not re-run stages');
});

test("a stage task's configuration changes with what that stage reads, and no other's does", async () => {
  // Nx hashes a project's whole configuration into each of its tasks: each stage task is alone in its project.
  const a = await infer({ 'p.yaml': lenet });
  const b = await infer({ 'p.yaml': lenet.replace('learning-rate: 0.001', 'learning-rate: 0.01') });
  const changed = Object.keys(a).filter((k) => !k.startsWith('pipeline:') && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  assert.deepEqual(changed, ['p.train:train', 'p.export:export']);
  const comment = await infer({ 'p.yaml': `# a comment\n${lenet.replace('epochs: 10', 'epochs:   10  # the same')}` });
  assert.deepEqual(comment, a);
  // ... and one pipeline's stage tasks do not see another pipeline's.
  const c = await infer({ 'p.yaml': lenet, 'q.yaml': lenet });
  const own = (t: Record<string, TargetConfiguration>) => Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith('p.')));
  assert.deepEqual(own(a), own(c));
});

test("the key of a variant's training reads its own backend, not the base's", async () => {
  const targets = await infer({ 'p.yaml': `${lenet}\nvariants:\n  base: {}\n  slow: { training: { backend: cpu } }\n` });
  assert.match(targets['p.train-slow:train'].command!, /--key [0-9a-f]{20}-cpu-t\d+$/);
  assert.doesNotMatch(targets['p.train-base:train'].command!, /-cpu-t/);
});

test('an invalid file gets one target that prints its problems, and breaks no other pipeline', async () => {
  const targets = await infer({ 'good.yaml': lenet, 'bad.yaml': 'dataset: { source: mnst }\n' });
  assert.deepEqual(targets['pipeline:bad'].command, "node --import tsx apps/cli/main.ts check 'pipelines/bad.yaml'");
  assert.equal(targets['pipeline:bad'].cache, false);
  assert.ok(targets['good.train:train']);
  assert.ok(!Object.keys(targets).some((t) => t.startsWith('bad.')));
});

test('loading the plugin loads no TensorFlow.js, onnxruntime or vega (it runs on every nx command)', () => {
  const loaded = execFileSync(process.execPath, ['-e', "require('./libs/nx-plugin/plugin.cjs'); console.log(Object.keys(require.cache).join('\\n'))"], { cwd: repo, encoding: 'utf8' });
  assert.ok(loaded.includes('libs/nx-plugin/index.ts'), 'the plugin was loaded');
  assert.deepEqual(loaded.split('\n').filter((f) => /@tensorflow|onnxruntime|vega|resvg/.test(f)), []);
});

test('the projects of a file come from the cache until a file it read, the environment or the code changes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-plugin-cache-'));
  mkdirSync(join(root, 'pipelines', 'shared'), { recursive: true });
  writeFileSync(join(root, 'pipelines', 'p.yaml'), 'extends: shared/s.yaml\n');
  writeFileSync(join(root, 'pipelines', 'shared', 's.yaml'), 'a: 1\n');
  let computed = 0;
  const plan = () => {
    const cache = inferenceCache<number>(root, join(root, '.nx', 'workspace-data'), false);
    const value = cache.get('pipelines/p.yaml', () => ({ result: ++computed, read: [join(root, 'pipelines', 'shared', 's.yaml')] }));
    cache.save(['pipelines/p.yaml']);
    return value;
  };
  assert.equal(plan(), 1);
  assert.equal(plan(), 1, 'nothing changed: from the cache');
  writeFileSync(join(root, 'pipelines', 'shared', 's.yaml'), 'a: 2\n');
  assert.equal(plan(), 2, 'a file it extends changed');
  const saved = process.env.TRAINYARD_OVERRIDES;
  process.env.TRAINYARD_OVERRIDES = '{training: {epochs: 1}}';
  try {
    assert.equal(plan(), 3, 'the overrides changed');
    assert.equal(plan(), 3);
  } finally {
    if (saved === undefined) delete process.env.TRAINYARD_OVERRIDES;
    else process.env.TRAINYARD_OVERRIDES = saved;
  }
  assert.equal(plan(), 4, 'back to no overrides: planned again (one context is kept)');
});

test('the tasks Nx runs at once: --parallel, then NX_PARALLEL, then nx.json, then 3', () => {
  const saved = process.env.NX_PARALLEL;
  delete process.env.NX_PARALLEL;
  try {
    assert.equal(nxParallel(['nx', 'run', 'pipeline:x', '--parallel=2'], 1), 2);
    assert.equal(nxParallel(['nx', 'run-many', '--parallel', '4'], 1), 4);
    assert.equal(nxParallel(['nx', 'run', 'pipeline:x', '--parallel=false'], 5), 1);
    assert.equal(nxParallel(['nx', 'run', 'pipeline:x'], 1), 1);
    assert.equal(nxParallel(['nx', 'run', 'pipeline:x']), 3);
    process.env.NX_PARALLEL = '2';
    assert.equal(nxParallel(['nx', 'run', 'pipeline:x'], 1), 2);
  } finally {
    if (saved === undefined) delete process.env.NX_PARALLEL;
    else process.env.NX_PARALLEL = saved;
  }
});

test("a file's name never reaches a shell as code, and a YAML alias bomb breaks no other pipeline", async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-plugin-names-'));
  mkdirSync(join(root, 'pipelines'));
  const names = { evil: "x$(touch PWNED)'; touch PWNED2 #.yaml", bomb: 'bomb.yaml', good: 'good.yaml' };
  writeFileSync(join(root, 'pipelines', names.evil), lenet);
  writeFileSync(join(root, 'pipelines', names.bomb), ALIAS_BOMB);
  writeFileSync(join(root, 'pipelines', names.good), lenet);
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
  const results = await createNodesV2[1](Object.values(names).map((f) => `pipelines/${f}`), undefined, context);
  const targets = Object.fromEntries(results.flatMap(([, r]) => Object.values(r.projects ?? {}).flatMap((p) => Object.entries(p.targets ?? {}).map(([n, t]) => [`${p.name}:${n}`, t]))));
  assert.ok(targets['good.train:train'], 'the good pipeline is planned');
  assert.match(targets['pipeline:bomb'].metadata?.description ?? '', /invalid/);
  const check = targets[`pipeline:${names.evil.replace(/\.yaml$/, '')}`].command!;
  // Run from a folder holding the CLI's path, as Nx runs it from the workspace root.
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  const r = spawnSync('sh', ['-c', check.replace('apps/cli/main.ts', join(repo, 'apps/cli/main.ts'))], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the file name .* is the pipeline's name/);
  assert.ok(!existsSync(join(root, 'PWNED')) && !existsSync(join(root, 'PWNED2')), 'nothing the name spelled ran');
});

test('each file a pipeline reads is a project whose root is that file, and its stage projects depend on it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-plugin-files-'));
  mkdirSync(join(root, 'pipelines', 'shared'), { recursive: true });
  writeFileSync(join(root, 'pipelines', 'shared', 'data.yaml'), lenet.slice(lenet.indexOf('dataset:'), lenet.indexOf('model:')));
  writeFileSync(join(root, 'pipelines', 'p.yaml'), `extends: shared/data.yaml\n${lenet.slice(lenet.indexOf('model:'))}`);
  const context = { workspaceRoot: root, nxJsonConfiguration: {} } as CreateNodesContextV2;
  const [[, result]] = await createNodesV2[1](['pipelines/p.yaml'], undefined, context);
  const projects = Object.values(result.projects ?? {});
  const byName = Object.fromEntries(projects.map((p) => [p.name, p]));
  assert.equal(byName['p.yaml']?.root, 'pipelines/p.yaml');
  assert.equal(byName['shared/data.yaml']?.root, 'pipelines/shared/data.yaml');
  assert.deepEqual(byName['p.train']?.implicitDependencies, ['p.yaml', 'shared/data.yaml']);
});

test('the quick profile is an Nx configuration of every target: the stages run with --profile quick under keys of their own', async () => {
  const targets = await infer({ 'lenet-l2.yaml': lenet });
  for (const name of ['pipeline:lenet-l2', 'pipeline:lenet-l2.train']) assert.deepEqual(targets[name].configurations, { quick: {} }, name);
  for (const stage of ['data', 'train', 'export', 'evaluate', 'charts']) {
    const target = targets[`lenet-l2.${stage}:${stage}`];
    const quick = target.configurations?.quick?.command as string;
    assert.match(quick, new RegExp(`^exec node --import tsx apps/cli/main\\.ts stage pipelines/lenet-l2\\.yaml ${stage} --profile quick --key [0-9a-f]{20}`));
    // Nx hashes the command: a quick run is cached apart from the full one, and its stages that read what the profile changes have keys of their own.
    assert.notEqual(quick, target.command);
    if (stage === 'data' || stage === 'train') assert.notEqual(quick.split('--key ')[1], target.command!.split('--key ')[1], stage);
  }
});

test('a profile that would merge stages (variants differing only in what it reduces) is refused in one line, not run in full', async () => {
  const variants = `${lenet}\nvariants:\n  small: { dataset: { limit: { train: 2000, test: 500 } } }\n  all: {}\n`;
  const targets = await infer({ 'lenet-l2.yaml': variants });
  const quick = targets['lenet-l2.data:data'].configurations?.quick?.command as string;
  assert.match(quick, /^echo 'pipelines\/lenet-l2\.yaml: the quick profile cannot run through Nx: .*npm run trainyard -- run pipelines\/lenet-l2\.yaml --profile quick' >&2; exit 1$/);
  const r = spawnSync('sh', ['-c', quick], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr.split('\n').length, 2, 'one line');
});

test("a folder dataset's data stage takes its files' fingerprint as an environment input, which fingerprintDatasets sets", async () => {
  const own = lenet.replace(/dataset:\n(  .*\n)+/, 'dataset:\n  source: folder\n  path: data/own\n  channels: 1\n  test: 0.5\n  transforms: [{ type: pad, to: 32 }]\n');
  const targets = await infer({ 'own.yaml': own });
  const data = targets['own.data:data'];
  const filesEnv = (inputs: TargetConfiguration['inputs']) =>
    inputs?.flatMap((i) => (typeof i === 'object' && 'env' in i && String(i.env).startsWith('TRAINYARD_DATASET_FILES_') ? [String(i.env)] : [])) ?? [];
  const [env] = filesEnv(data.inputs);
  assert.ok(env !== undefined, JSON.stringify(data.inputs));
  assert.ok(!targets['lenet-l2.data:data']?.inputs?.some((i) => typeof i === 'object' && 'env' in i && String(i.env).startsWith('TRAINYARD_DATASET_FILES_')));
  assert.ok(!targets['own.train:train'].inputs?.some((i) => typeof i === 'object' && 'env' in i && i.env === env), 'train follows the manifest, not the files');
  const root = mkdtempSync(join(tmpdir(), 'trainyard-plugin-'));
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(join(root, 'pipelines', 'own.yaml'), own);
  for (const c of ['a', 'b']) mkdirSync(join(root, 'data', 'own', c), { recursive: true });
  writeFileSync(join(root, 'data', 'own', 'a', '1.png'), 'x');
  delete process.env[env];
  process.env.NX_WORKSPACE_DATA_DIRECTORY = join(root, '.nx', 'workspace-data');
  try {
    fingerprintDatasets(root);
    const first = process.env[env];
    assert.match(first ?? '', /^[0-9a-f]{24}$/);
    writeFileSync(join(root, 'data', 'own', 'a', '1.png'), 'x');
    utimesSync(join(root, 'data', 'own', 'a', '1.png'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    fingerprintDatasets(root);
    assert.equal(process.env[env], first, 'a file written again with the same bytes, the same fingerprint');
    writeFileSync(join(root, 'data', 'own', 'b', '2.png'), 'y');
    fingerprintDatasets(root);
    assert.notEqual(process.env[env], first, 'a new file, a new fingerprint');
  } finally {
    delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    delete process.env[env];
  }
});

test('two pipelines on one folder with other classes fingerprint it each in a variable of its own', () => {
  const dataset = { source: 'folder', path: 'data/own', channels: 1, test: 0.5 };
  assert.notEqual(datasetFilesEnv({ ...dataset, classes: ['a', 'b'] }), datasetFilesEnv({ ...dataset, classes: ['b', 'a'] }));
  assert.notEqual(datasetFilesEnv(dataset), datasetFilesEnv({ ...dataset, test: 0.25 }));
  assert.equal(datasetFilesEnv({ ...dataset, classes: ['a', 'b'] }), datasetFilesEnv({ classes: ['a', 'b'], ...dataset }), 'the order of keys does not matter');
});

test("the hashes of datasets' files are kept in Nx's workspace data folder, wherever Nx puts it", () => {
  const saved = process.env.NX_WORKSPACE_DATA_DIRECTORY;
  try {
    delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    assert.equal(workspaceDataDir(repo), workspaceDataDirectoryForWorkspace(repo));
    process.env.NX_WORKSPACE_DATA_DIRECTORY = 'tmp/data';
    assert.equal(workspaceDataDir(repo), workspaceDataDirectoryForWorkspace(repo));
  } finally {
    if (saved === undefined) delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    else process.env.NX_WORKSPACE_DATA_DIRECTORY = saved;
  }
});
