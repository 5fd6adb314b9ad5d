import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { stageProject } from '../../libs/nx-plugin';
import { planPipeline } from '../../libs/plan';
import type { ReportRun } from '../../libs/report';
import { loadPipeline } from '../../libs/pipeline-file';
import { readRuns } from '../../libs/stages';

/** A side of the comparison: its runs' results as Nx left them, and the stages Nx had no cached outputs for. */
export interface Side {
  runs: ReportRun[];
  /** Stage tasks that would have had to run (`lenet-l2.train`): not in the local or remote cache. */
  uncached: string[];
}

/**
 * Replays a pipeline's evaluate tasks (and what they need) through Nx in `tree`. Without `run`, a module
 * preloaded into every node process refuses to start any stage and notes which: the tree's results come
 * from the cache or not at all, whatever the commit's own code does on a miss.
 */
export async function replay(tree: string, file: string, o: { run: boolean; cacheDir: string; dataDir: string; nx: string; log: (line: string) => void }): Promise<Side> {
  const plan = planPipeline(loadPipeline(join(tree, file), process.env.TRAINYARD_OVERRIDES));
  const evaluates = plan.stages.filter((s) => s.kind === 'evaluate').map((s) => ({ run: s.run!.id, project: stageProject(plan.pipeline, s.id) }));
  const scratch = mkdtempSync(join(tmpdir(), 'trainyard-diff-'));
  const misses = join(scratch, 'misses');
  try {
    writeFileSync(misses, '');
    // Every node process Nx starts loads this first; a stage (`node … apps/cli/main.ts stage <file> <stage>`,
    // in every version of the stage command) notes its id and exits before it runs.
    const refuse = join(scratch, 'refuse-stages.mjs');
    writeFileSync(
      refuse,
      `import { appendFileSync } from 'node:fs';\nconst a = process.argv;\nconst i = a.findIndex((x) => x.endsWith('apps/cli/main.ts'));\n` +
        `if (i >= 0 && a[i + 1] === 'stage') { appendFileSync(${JSON.stringify(misses)}, a[i + 3] + '\\n'); process.exit(75); }\n`,
    );
    const env = {
      ...process.env,
      // Nx finds a cached task through records in a database in its workspace data, beside the outputs
      // in its cache folder: a worktree uses this checkout's, or it would find nothing.
      NX_CACHE_DIRECTORY: o.cacheDir,
      NX_WORKSPACE_DATA_DIRECTORY: o.dataDir,
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_DEFAULT_OUTPUT_STYLE: 'static',
      ...(!o.run && { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${JSON.stringify(refuse)}`.trim() }),
    };
    const nx = await runNx(process.execPath, [o.nx, 'run-many', '--targets', 'evaluate', '--projects', evaluates.map((e) => e.project).join(','), '--nxBail=false'], { cwd: tree, env, echo: o.run });
    const uncached = new Set(readFileSync(misses, 'utf8').split('\n').filter(Boolean));
    if (nx.status !== 0 && uncached.size === 0 && !o.run) o.log(`${tree}: nx failed (exit ${nx.status}):\n${nx.output}`.trimEnd());
    // artifacts/ may hold older results of runs whose evaluate task did not replay or run now: those are not this tree's.
    const started = new Set([...nx.output.matchAll(/^> nx run (\S+):evaluate\b/gm)].map((m) => m[1]));
    const failed = new Set([...(nx.output.split(/^Failed tasks:$/m)[1] ?? '').matchAll(/^\s*- (\S+):\w+/gm)].map((m) => m[1]));
    const replayed = new Set(evaluates.filter((e) => started.has(e.project) && !failed.has(e.project)).map((e) => e.run));
    return { runs: readRuns(plan, tree).runs.filter((r) => r.run && replayed.has(r.run.run)), uncached: [...uncached].map((id) => `${plan.pipeline}.${id}`) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs Nx and collects what it prints; with `echo`, also shows it as it comes (training's progress). */
function runNx(bin: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; echo: boolean }): Promise<{ status: number | null; output: string }> {
  const child = spawn(bin, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk;
    if (o.echo) process.stderr.write(chunk);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (status) => done({ status, output: stripVTControlCharacters(output) }));
  });
}

/** Runs `fn` in a detached worktree of `ref` that shares this checkout's node_modules, then removes it. */
export async function inWorktree<T>(workspace: string, ref: string, fn: (tree: string, commit: string) => Promise<T>): Promise<T> {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: workspace, encoding: 'utf8' });
  const commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).stdout.trim();
  if (!commit) throw new DiffError(`diff: '${ref}' is not a commit of this repository`);
  const tree = join(mkdtempSync(join(tmpdir(), 'trainyard-worktree-')), 'tree');
  const added = git('worktree', 'add', '--detach', '--quiet', tree, commit);
  if (added.status !== 0) throw new DiffError(`diff: git worktree add failed: ${added.stderr.trim()}`);
  try {
    if (!existsSync(join(tree, 'node_modules'))) symlinkSync(join(workspace, 'node_modules'), join(tree, 'node_modules'), 'dir');
    return await fn(tree, commit);
  } finally {
    git('worktree', 'remove', '--force', tree);
    rmSync(join(tree, '..'), { recursive: true, force: true });
  }
}

export class DiffError extends Error {
  readonly code = 'TY_DIFF';
}
