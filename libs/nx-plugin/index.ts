import type { CreateNodesContextV2, CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports';
import { basename, join } from 'node:path';
import { planPipeline, stageCode, type Plan, type Stage } from '../plan';
import { loadPipeline, SpecError } from '../spec';
// Not the train lib's index: this must not load TensorFlow.js (the plugin runs on every nx command).
import { preferredBackend, requestedBackend, resolveThreads, type BackendRequest, type ThreadsRequest } from '../train/src/backend-choice';
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

/** The Nx project of one stage task; `.` never occurs in a pipeline's name or a stage's id. */
export const stageProject = (pipeline: string, stage: string) => `${pipeline}.${stage}`;

/**
 * What a stage's Nx cache key takes from the pipeline file and the machine: the fingerprint of what it
 * reads and, for training, the backend and thread count it resolves to here (both change its results). The stage checks it was given this key,
 * so a project graph planned with other overrides (a daemon started earlier) cannot hide behind a cache hit.
 */
export function stageKey(stage: Stage): string {
  if (stage.kind !== 'train') return stage.fingerprint;
  const training = stage.reads.training as { backend?: BackendRequest; threads?: ThreadsRequest; 'batch-size': number };
  return `${stage.fingerprint}-${preferredBackend(requestedBackend(training.backend))}-t${resolveThreads(training.threads, training['batch-size'])}`;
}

type Projects = Record<string, { name: string; root: string; targets: Record<string, TargetConfiguration> }>;

export const createNodesV2: CreateNodesV2 = [
  PIPELINES_GLOB,
  async (files, _options, context) => files.map((file) => [file, { projects: projectsFor(file, context) }]),
];

/** A remote cache that is down or refuses the token becomes a one-line warning, not a failed run. */
export const preTasksExecution = skipUnusableRemoteCache;

function projectsFor(file: string, context: CreateNodesContextV2): Projects {
  const name = basename(file, '.yaml');
  let plan: Plan;
  try {
    // The overrides too, so Nx schedules the stages the CLI will find (they may merge two runs' datasets).
    plan = planPipeline(loadPipeline(join(context.workspaceRoot, file), process.env.TRAINYARD_OVERRIDES));
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    // An invalid file must not break every other pipeline: its target prints the problems and fails.
    const check = { command: `${CLI} check ${file}`, cache: false, metadata: { description: `${file} is invalid: run it to see why` } };
    return { pipelines: { name: PROJECT, root: 'pipelines', targets: { [name]: check } } };
  }
  const task = (s: Stage) => ({ projects: [stageProject(name, s.id)], target: s.kind });
  const entry: Record<string, TargetConfiguration> = {
    // Cached like the stages (a noop restores instantly) so a replay reports every task as a cache hit.
    [name]: { executor: 'nx:noop', cache: true, dependsOn: plan.stages.map(task), metadata: { description: `Run every stage of ${file}` } },
  };
  const projects: Projects = {};
  for (const stage of plan.stages) {
    entry[`${name}.${stage.id}`] = { executor: 'nx:noop', cache: true, dependsOn: [task(stage)], metadata: { description: stage.description } };
    // Distinct roots: Nx merges the projects that share one.
    projects[`pipelines/${name}/${stage.id}`] = { name: stageProject(name, stage.id), root: `pipelines/${name}/${stage.id}`, targets: { [stage.kind]: stageTarget(plan, file, stage) } };
  }
  return { pipelines: { name: PROJECT, root: 'pipelines', targets: entry }, ...projects };
}

function stageTarget(plan: Plan, file: string, stage: Stage): TargetConfiguration {
  const { libs, files, packages } = stageCode[stage.kind];
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const inputs: TargetConfiguration['inputs'] = [
    ...libs.flatMap((lib) => [`{workspaceRoot}/libs/${lib}/**/*`, `!{workspaceRoot}/libs/${lib}/**/*.test.ts`]),
    ...files.map((f) => `{workspaceRoot}/${f}`),
    '{workspaceRoot}/apps/cli/**/*',
    '!{workspaceRoot}/apps/cli/**/*.test.ts',
    '{workspaceRoot}/tsconfig.json',
    { externalDependencies: ['tsx', ...packages] },
    { dependentTasksOutputFiles: '**/*', transitive: true },
    // The key in the command was planned with these; a daemon that planned before they changed is caught by the stage.
    { env: 'TRAINYARD_OVERRIDES' },
  ];
  if (stage.kind === 'train') inputs.push({ env: 'TRAINYARD_BACKEND' }, { env: 'TRAINYARD_THREADS' });
  return {
    // The YAML file is not an input: the key holds the slice of it the stage reads, so a comment re-runs nothing.
    command: `${CLI} stage ${file} ${stage.id} --key ${stageKey(stage)}`,
    cache: true,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${plan.pipeline}/${stage.id}`],
    dependsOn: stage.needs.map((id) => ({ projects: [stageProject(plan.pipeline, id)], target: byId.get(id)!.kind })),
    metadata: { description: stage.description },
  };
}
