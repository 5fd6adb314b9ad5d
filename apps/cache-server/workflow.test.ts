/** The GitHub Actions workflow names things that exist and hands the write token to main only. */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const repo = join(__dirname, '..', '..');
const file = join(repo, '.github', 'workflows', 'pipelines.yml');
const workflow = parse(readFileSync(file, 'utf8')) as {
  env: Record<string, string>;
  on: { workflow_dispatch: { inputs: { pipeline: { default: string } } } };
  jobs: Record<string, { needs?: string; strategy?: { matrix: Record<string, unknown> }; steps: { run?: string }[] }>;
};

test('the pipelines it runs exist', () => {
  const names = [...(workflow.jobs.pipeline.strategy!.matrix.pipeline as string[]), workflow.on.workflow_dispatch.inputs.pipeline.default];
  for (const name of names) assert.ok(existsSync(join(repo, 'pipelines', `${name}.yaml`)), `pipelines/${name}.yaml`);
});

test('the write token is chosen only for main outside pull requests; everything else reads', () => {
  const token = workflow.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;
  assert.match(token, /^\$\{\{ github\.ref == 'refs\/heads\/main' && github\.event_name != 'pull_request' && secrets\.TRAINYARD_CACHE_WRITE_TOKEN \|\| secrets\.TRAINYARD_CACHE_READ_TOKEN \}\}$/);
  assert.equal(readFileSync(file, 'utf8').match(/secrets\.TRAINYARD_CACHE_WRITE_TOKEN/g)?.length, 1, 'no job reaches the write token another way');
});

test('a sweep: shards from the planned indices, then one job that gathers them', () => {
  const { jobs } = workflow;
  assert.equal(jobs['sweep-shard'].needs, 'sweep-plan');
  assert.equal(jobs['sweep-shard'].strategy!.matrix.index, '${{ fromJSON(needs.sweep-plan.outputs.indices) }}');
  assert.ok(jobs['sweep-shard'].steps.some((s) => s.run?.includes('npm run trainyard -- shard "pipelines/$PIPELINE.yaml" --shards "$SHARDS" --index "$INDEX"')));
  assert.equal(jobs['sweep-gather'].needs, 'sweep-shard');
  assert.ok(jobs.test.steps.some((s) => s.run?.includes('.ci/run')));
});
