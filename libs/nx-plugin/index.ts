import type { CreateNodesContextV2, CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports';
import { basename, join } from 'node:path';
import { planPipeline, stageCode, type Plan, type Stage } from '../plan';
import { loadPipeline, SpecError } from '../spec';
import { skipUnusableRemoteCache } from './remote-cache';

/**
 * Every pipeline file becomes targets of the one project `pipeline`: `<name>` runs it all, and
 * `<name>.<stage>` one stage. Those targets only point at the stage tasks, which live in a project of
 * their own per pipeline (`pipeline-<name>`): Nx hashes a project's whole configuration into each of
 * its tasks, so with every pipeline's tasks in one project, adding or reshaping any pipeline would
 * re-run all the others.
 */
export const PIPELINES_GLOB = 'pipelines/*.yaml';
export const PROJECT = 'pipeline';

const CLI = 'node --import tsx apps/cli/main.ts';

export const stageProject = (pipeline: string) => `${PROJECT}-${pipeline}`;

type Projects = Record<string, { name: string; root: string; targets: Record<string, TargetConfiguration> }>;

export const createNodesV2: CreateNodesV2 = [
  PIPELINES_GLOB,
  async (files, _options, context) => files.map((file) => [file, { projects: projectsFor(file, context) }]),
];

/** A remote cache that is down or refuses the token turns into a one-line warning, not a failed run. */
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
  const project = stageProject(name);
  const entry: Record<string, TargetConfiguration> = {
    // Cached like the stages (a noop restores instantly) so a replay reports every task as a cache hit.
    [name]: { executor: 'nx:noop', cache: true, dependsOn: plan.stages.map((s) => `${name}.${s.id}`), metadata: { description: `Run every stage of ${file}` } },
  };
  const stages: Record<string, TargetConfiguration> = {};
  for (const stage of plan.stages) {
    entry[`${name}.${stage.id}`] = {
      executor: 'nx:noop',
      cache: true,
      dependsOn: [{ projects: [project], target: stage.id }],
      metadata: { description: stage.description },
    };
    stages[stage.id] = stageTarget(plan, file, stage);
  }
  return {
    pipelines: { name: PROJECT, root: 'pipelines', targets: entry },
    [`pipelines/${name}`]: { name: project, root: `pipelines/${name}`, targets: stages },
  };
}

function stageTarget(plan: Plan, file: string, stage: Stage): TargetConfiguration {
  const { libs, files, packages } = stageCode[stage.kind];
  const inputs: TargetConfiguration['inputs'] = [
    ...libs.flatMap((lib) => [`{workspaceRoot}/libs/${lib}/**/*`, `!{workspaceRoot}/libs/${lib}/**/*.test.ts`]),
    ...files.map((f) => `{workspaceRoot}/${f}`),
    '{workspaceRoot}/apps/cli/**/*',
    '!{workspaceRoot}/apps/cli/**/*.test.ts',
    '{workspaceRoot}/tsconfig.json',
    { externalDependencies: ['tsx', ...packages] },
    { dependentTasksOutputFiles: '**/*', transitive: true },
    // The slice of the YAML file the stage reads enters the key as its fingerprint, computed when Nx
    // hashes the task: a comment or a reformat changes no fingerprint. It cannot sit in the command:
    // Nx hashes the whole project's configuration into every task of the project, so a fingerprint
    // there would re-run every stage of every pipeline when any of them changed.
    { runtime: `${CLI} key ${file} ${stage.id}` },
  ];
  if (stage.kind === 'train') inputs.push({ env: 'TRAINYARD_BACKEND' });
  return {
    command: `${CLI} stage ${file} ${stage.id}`,
    cache: true,
    inputs,
    outputs: [`{workspaceRoot}/artifacts/${plan.pipeline}/${stage.id}`],
    dependsOn: stage.needs,
    metadata: { description: stage.description },
  };
}
