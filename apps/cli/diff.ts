import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { stageProject } from '../../libs/nx-plugin';
import { planPipeline } from '../../libs/plan';
import type { DiffSide } from '../../libs/report';
import { loadPipeline } from '../../libs/pipeline-file';
import { readRuns } from '../../libs/stages';

/** A side of the comparison: the runs its file plans, their results as Nx left them, and the stages Nx had no cached outputs for. */
export interface Side extends DiffSide {
  /** Stage tasks that would have had to run (`lenet-l2.train`): not in the local or remote cache. */
  uncached: string[];
}

/**
 * Replays a pipeline's evaluate tasks (and what they need) through Nx in `tree`. Without `run`, a module
 * preloaded into every node process refuses to start any stage and notes which: the tree's results come
 * from the cache or not at all, whatever the commit's own code does on a miss.
 */
export async function replay(tree: string, file: string, o: { run: boolean; cacheDir: string; dataDir: string; nx: string; log: (line: string) => void }): Promise<Side> {
  const pipeline = loadPipeline(join(tree, file), process.env.TRAINYARD_OVERRIDES);
  const plan = planPipeline(pipeline);
  // A run's settings: the sections its train, export and evaluate stages read (not the pipeline's description or charts).
  const planned = pipeline.runs.map(({ id, config: c }) => ({ id, config: { dataset: c.dataset, model: c.model, training: c.training, export: c.export, evaluate: c.evaluate } }));
  const evaluates = plan.stages.filter((s) => s.kind === 'evaluate').map((s) => ({ run: s.run!.id, project: stageProject(plan.pipeline, s.id) }));
  const scratch = mkdtempSync(join(tmpdir(), 'trainyard-diff-'));
  const misses = join(scratch, 'misses');
  try {
    const nxState = o.run ? { cacheDir: o.cacheDir, dataDir: o.dataDir } : scratchNxState(scratch, o.cacheDir, o.dataDir);
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
      NX_CACHE_DIRECTORY: nxState.cacheDir,
      NX_WORKSPACE_DATA_DIRECTORY: nxState.dataDir,
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
    return { planned, runs: readRuns(plan, tree).runs.filter((r) => r.run && replayed.has(r.run.run)), uncached: [...uncached].map((id) => `${plan.pipeline}.${id}`) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Where Nx keeps its state for a replay that may run nothing: a copy of its workspace data (the database,
 * with its -wal and -shm files) and a folder of links to its cache entries, in `scratch`. Nx records each
 * task's exit code in that database, and a refused stage that later succeeds would be called flaky on every
 * run after; the copy finds the same cache hits and takes those records away with it. The links: at the end
 * of a run Nx deletes the entries its database says are a week unused, which the real one would still list
 * (and later restore nothing from); deleting a link leaves the entry.
 */
function scratchNxState(scratch: string, cache: string, data: string): { cacheDir: string; dataDir: string } {
  const [cacheDir, dataDir] = [resolve(cache), resolve(data)];
  const state = { cacheDir: join(scratch, 'nx-cache'), dataDir: join(scratch, 'nx-workspace-data') };
  const entries = (dir: string) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []);
  mkdirSync(join(state.cacheDir, 'terminalOutputs'), { recursive: true });
  for (const e of entries(cacheDir)) {
    if (e.isDirectory() && e.name !== 'terminalOutputs') symlinkSync(join(cacheDir, e.name), join(state.cacheDir, e.name), 'dir');
  }
  for (const e of entries(join(cacheDir, 'terminalOutputs'))) {
    if (e.isFile()) symlinkSync(join(cacheDir, 'terminalOutputs', e.name), join(state.cacheDir, 'terminalOutputs', e.name));
  }
  // The files of the workspace data (the database, Nx's project graph cache), not its daemon's sockets. Copied
  // again when another Nx process changed one meanwhile, so that the database and its -wal file go together.
  const stamp = () => entries(dataDir).filter((e) => e.isFile()).map((e) => {
    const at = statSync(join(dataDir, e.name), { throwIfNoEntry: false });
    return { name: e.name, key: at ? `${e.name}:${at.size}:${at.mtimeMs}` : '' };
  });
  for (let attempt = 1; ; attempt++) {
    rmSync(state.dataDir, { recursive: true, force: true });
    mkdirSync(state.dataDir, { recursive: true });
    const before = stamp();
    for (const { name } of before) {
      try {
        copyFileSync(join(dataDir, name), join(state.dataDir, name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    const key = (files: { key: string }[]) => files.map((f) => f.key).join();
    if (key(stamp()) === key(before) || attempt === 5) break;
  }
  return state;
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
