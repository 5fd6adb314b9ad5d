import type { CreateNodesContextV2, CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports';
import { workspaceDataDirectoryForWorkspace } from 'nx/src/utils/cache-directory';
import { basename, join, relative, resolve } from 'node:path';
import type { Plan, Stage } from '../plan';
import { nativeInstalled } from '../backend-choice';
import { inferenceCache } from './inference-cache';
import { skipUnusableRemoteCache } from './remote-cache';

/**
 * Every pipeline file becomes a target of the one project `pipeline` (`<name>` runs it all; `<name>.<stage>`
 * one stage and what it needs), and each of its stage tasks a project of its own, `<name>.<stage>`, whose one
 * target is named for the stage's kind (`lenet-l2.train:train`).
 *
 * Why a project per task: Nx hashes a project's whole configuration into each of its tasks. With the
 * stage's key (the fingerprint of what it reads) in its own project's command, Nx hashes it with nothing
 * else: an edit re-runs exactly the stages whose fingerprints changed, and computing keys needs no process
 * per task, so a replay costs what Nx's own bookkeeping costs, whatever the size of the sweep.
 */
export const PIPELINES_GLOB = 'pipelines/*.yaml';
export const PROJECT = 'pipeline';

const CLI = 'node --import tsx apps/cli/main.ts';

/** The Nx project of a file pipelines read: its path under pipelines/ (`lenet-l2.yaml`, `shared/mnist-32.yaml`). */
export const fileProject = (path: string) => path.replace(/^pipelines\//, '');

/** The Nx project of one stage task; `.` never occurs in a pipeline's name or a stage's id. */
export const stageProject = (pipeline: string, stage: string) => `${pipeline}.${stage}`;

type Projects = Record<string, { name: string; root: string; targets: Record<string, TargetConfiguration>; implicitDependencies?: string[] }>;

export const createNodesV2: CreateNodesV2 = [
  PIPELINES_GLOB,
  async (files, _options, context) => {
    const cache = inferenceCache<Projects>(context.workspaceRoot, workspaceDataDirectoryForWorkspace(context.workspaceRoot), nativeInstalled());
    try {
      return files.map((file) => [file, { projects: cache.get(file, () => projectsFor(file, context)) }]);
    } finally {
      cache.save(files);
    }
  },
];

/**
 * Before tasks run: a remote cache that is down or refuses the token becomes a one-line warning, not a
 * failed run; and the train stages learn how many tasks Nx runs at once, to warn when runs x threads
 * exceed the cores (the thread count is in their keys, so it is not changed behind them).
 */
export async function preTasksExecution(_options: unknown, context: { workspaceRoot: string; argv: string[]; nxJsonConfiguration: { parallel?: number } }): Promise<void> {
  process.env.TRAINYARD_NX_PARALLEL = String(nxParallel(context.argv, context.nxJsonConfiguration.parallel));
  fingerprintDatasets(context.workspaceRoot);
  await skipUnusableRemoteCache();
}

/**
 * The environment variable a data stage of an image source (folder, csv) hashes: one per dataset block. Named by
 * all of it, not only by where its files are: the fingerprint also reads the classes and the test split, so two
 * pipelines on one folder with other classes would otherwise share one variable and the last one set would win.
 */
export function datasetFilesEnv(dataset: object): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const { stringify } = require('safe-stable-stringify') as typeof import('safe-stable-stringify');
  const where = stringify(dataset) ?? '';
  return `TRAINYARD_DATASET_FILES_${createHash('sha256').update(where).digest('hex').slice(0, 12)}`;
}

/**
 * Before tasks are hashed: the fingerprint of each image dataset's files (their paths, labels and the hashes
 * of their bytes; a stat of each file once they were hashed, no decoding) in the variable its data stages
 * name as an input, so adding, removing or editing one image re-runs the data stage and what reads it, and
 * the same files give the same key on every machine (the remote cache shares it). An environment input,
 * not a runtime one: the Nx daemon keeps runtime inputs' results for as long as the project graph is
 * unchanged, and a dataset outside the workspace never changes it.
 */
export function fingerprintDatasets(workspaceRoot: string): void {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  let files: string[];
  try {
    files = readdirSync(join(workspaceRoot, 'pipelines')).filter((f) => f.endsWith('.yaml')).map((f) => `pipelines/${f}`);
  } catch {
    return;
  }
  const cache = inferenceCache<Projects>(workspaceRoot, workspaceDataDirectoryForWorkspace(workspaceRoot), nativeInstalled());
  const datasets = new Map<string, unknown>();
  try {
    for (const file of files) {
      const projects = cache.get(file, () => projectsFor(file, { workspaceRoot } as CreateNodesContextV2));
      for (const project of Object.values(projects)) {
        for (const target of Object.values(project.targets)) {
          const wanted = target.metadata?.datasetFiles as { env: string; dataset: unknown } | undefined;
          if (wanted) datasets.set(wanted.env, wanted.dataset);
        }
      }
    }
  } finally {
    cache.save(files);
  }
  if (datasets.size === 0) return;
  const { datasetFingerprint } = require('../data') as typeof import('../data');
  for (const [env, dataset] of datasets) process.env[env] = datasetFingerprint(dataset as Parameters<typeof datasetFingerprint>[0], { workspace: workspaceRoot })?.digest ?? '';
}

/** The tasks Nx runs at once: --parallel on the command line, then NX_PARALLEL, then nx.json, then Nx's default 3. */
export function nxParallel(argv: string[], fromNxJson?: number): number {
  let value: string | undefined;
  argv.forEach((a, i) => {
    if (a.startsWith('--parallel=')) value = a.slice('--parallel='.length);
    else if (a === '--parallel') value = /^\d+$/.test(argv[i + 1] ?? '') ? argv[i + 1] : 'true';
  });
  value ??= process.env.NX_PARALLEL;
  if (value === 'false' || value === '0') return 1;
  const n = Number(value);
  if (Number.isInteger(n) && n > 0) return n;
  return value === undefined && fromNxJson ? fromNxJson : 3;
}

/** The projects of one pipeline file and the files it read. */
function projectsFor(file: string, context: CreateNodesContextV2): { result: Projects; read: string[] } {
  // Loaded only when a file must be planned anew: most commands find every file in the cache.
  const { planPipeline } = require('../plan') as typeof import('../plan');
  const { loadPipeline, PipelineError, PROFILES } = require('../pipeline-file') as typeof import('../pipeline-file');
  const name = basename(file, '.yaml');
  const path = join(context.workspaceRoot, file);
  let plan: Plan;
  let read: string[];
  try {
    // The overrides too, so Nx schedules the stages the CLI will find (they may merge two runs' datasets).
    const pipeline = loadPipeline(path, process.env.TRAINYARD_OVERRIDES);
    plan = planPipeline(pipeline);
    read = pipeline.files;
  } catch (e) {
    // No file may break the other pipelines, whatever it throws: its target prints the problems and fails.
    const why = e instanceof PipelineError ? 'run it to see why' : (e as Error)?.message ?? String(e);
    const check = { command: `${CLI} check ${shellQuote(file)}`, cache: false, metadata: { description: `${file} is invalid: ${why}` } };
    // What it extends may be what is wrong: any change under pipelines/shared plans it again.
    return { result: { pipelines: { name: PROJECT, root: 'pipelines', targets: { [name]: check } } }, read: sharedFiles(context.workspaceRoot) };
  }
  // Each profile (quick) is an Nx configuration of every target: Nx passes it on to the tasks a target depends on.
  const profiles = Object.keys(PROFILES).map((profile) => ({ profile, stages: profilePlan(plan, () => planPipeline(loadPipeline(path, process.env.TRAINYARD_OVERRIDES, profile))) }));
  const configurations = Object.fromEntries(profiles.map(({ profile }) => [profile, {}]));
  const task = (s: Stage) => ({ projects: [stageProject(name, s.id)], target: s.kind });
  const entry: Record<string, TargetConfiguration> = {
    // Cached like the stages (a noop restores instantly) so a replay reports every task as a cache hit.
    [name]: { executor: 'nx:noop', cache: true, dependsOn: plan.stages.map(task), configurations, metadata: { description: `Run every stage of ${file}` } },
  };
  const projects: Projects = {};
  const kinds = new Map(plan.stages.map((s) => [s.id, s.kind]));
  // Each file the pipeline reads is a project of its own whose root is the file: Nx gives a changed file to
  // the project with the deepest root holding it, so `nx affected` finds the stage tasks of exactly the
  // pipelines that read it (their projects depend on it) instead of the one project `pipeline`.
  const sources = read.map((f) => relative(context.workspaceRoot, resolve(context.workspaceRoot, f)));
  for (const source of sources) projects[source] = { name: fileProject(source), root: source, targets: {} };
  for (const stage of plan.stages) {
    entry[`${name}.${stage.id}`] = { executor: 'nx:noop', cache: true, dependsOn: [task(stage)], configurations, metadata: { description: stage.description } };
    // Distinct roots: Nx merges the projects that share one.
    projects[`pipelines/${name}/${stage.id}`] = {
      name: stageProject(name, stage.id),
      root: `pipelines/${name}/${stage.id}`,
      targets: { [stage.kind]: stageTarget(plan, file, stage, kinds, profiles) },
      implicitDependencies: sources.map(fileProject),
    };
  }
  return { result: { pipelines: { name: PROJECT, root: 'pipelines', targets: entry }, ...projects }, read };
}

/** A file name as one shell word that the shell does not interpret: names are data, never commands. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function sharedFiles(workspaceRoot: string): string[] {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  try {
    return readdirSync(join(workspaceRoot, 'pipelines', 'shared')).map((f) => join('pipelines', 'shared', f));
  } catch {
    return [];
  }
}

/**
 * The stages of the pipeline under a profile, by id, when they are the same tasks as without it (same ids,
 * kinds and needs); else why not. Nx configurations change commands, not the task graph, so a profile
 * that merges stages (variants that differ only in what it reduces) cannot run through Nx.
 */
function profilePlan(plan: Plan, planned: () => Plan): Map<string, Stage> | string {
  let stages: Stage[];
  try {
    stages = planned().stages;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
  const byId = new Map(stages.map((s) => [s.id, s]));
  const same = (s: Stage, r: Stage | undefined) => r !== undefined && r.kind === s.kind && r.needs.join() === s.needs.join();
  if (stages.length === plan.stages.length && plan.stages.every((s) => same(s, byId.get(s.id)))) return byId;
  return `it makes runs that differ only in what the profile reduces share their stages (${stages.length} stages instead of ${plan.stages.length})`;
}

/** The command of a stage under a profile: the stage itself, or a one-line refusal instead of a silent full run. */
function profileCommand(file: string, stage: Stage, profile: string, stages: Map<string, Stage> | string): string {
  const { stageKey } = require('../plan') as typeof import('../plan');
  if (typeof stages !== 'string') return `exec ${CLI} stage ${file} ${stage.id} --profile ${profile} --key ${stageKey(stages.get(stage.id)!)}`;
  const why = `${file}: the ${profile} profile cannot run through Nx: ${stages}; run it without Nx: npm run trainyard -- run ${file} --profile ${profile}`;
  return `echo ${shellQuote(why)} >&2; exit 1`;
}

function stageTarget(plan: Plan, file: string, stage: Stage, kinds: Map<string, Stage['kind']>, profiles: { profile: string; stages: Map<string, Stage> | string }[]): TargetConfiguration {
  const { stageCode, stageKey } = require('../plan') as typeof import('../plan');
  const { libs, files, packages } = stageCode[stage.kind];
  const inputs: TargetConfiguration['inputs'] = [
    // The code the stage runs, without the tests and their helpers (testing.ts, testing/).
    ...libs.flatMap((lib) => [`{workspaceRoot}/libs/${lib}/**/*`, `!{workspaceRoot}/libs/${lib}/**/*.test.ts`, `!{workspaceRoot}/libs/${lib}/testing.ts`, `!{workspaceRoot}/libs/${lib}/**/testing/**`]),
    ...files.map((f) => `{workspaceRoot}/${f}`),
    '{workspaceRoot}/tsconfig.json',
    { externalDependencies: ['tsx', ...packages] },
    { dependentTasksOutputFiles: '**/*', transitive: true },
    // The key in the command was planned with these; a daemon that planned before they changed is caught by the stage.
    { env: 'TRAINYARD_OVERRIDES' },
  ];
  if (stage.kind === 'train') inputs.push({ env: 'TRAINYARD_BACKEND' }, { env: 'TRAINYARD_THREADS' });
  // An image source's files: their fingerprint, set before the tasks run (fingerprintDatasets).
  const { SOURCES } = require('../data') as typeof import('../data');
  const dataset = stage.reads.dataset as { source: keyof typeof SOURCES; path?: string } | undefined;
  const datasetFiles = stage.kind === 'data' && dataset && SOURCES[dataset.source]?.list ? { env: datasetFilesEnv(dataset), dataset } : undefined;
  if (datasetFiles) inputs.push({ env: datasetFiles.env });
  return {
    // The YAML file is not an input: the key holds the slice of it the stage reads, so a comment re-runs nothing.
    // exec: the stage replaces the shell Nx starts it in, so it sees Nx as its parent (see endWithParent).
    command: `exec ${CLI} stage ${file} ${stage.id} --key ${stageKey(stage)}`,
    configurations: Object.fromEntries(profiles.map(({ profile, stages }) => [profile, { command: profileCommand(file, stage, profile, stages) }])),
    cache: true,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${plan.pipeline}/${stage.id}`],
    dependsOn: stage.needs.map((id) => ({ projects: [stageProject(plan.pipeline, id)], target: kinds.get(id)! })),
    metadata: { description: stage.description, ...(datasetFiles && { datasetFiles }) },
  };
}
