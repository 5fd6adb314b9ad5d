import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { artifactsRoot } from '../../libs/artifacts';
import { planPipeline, shardPlan, stageKey, type Plan } from '../../libs/plan';
import type { ReportRun } from '../../libs/report';
import { loadPipeline } from '../../libs/pipeline-file';
import { runStage } from '../../libs/stages';
import { preferredBackend, requestedBackend } from '../../libs/backend-choice';

const USAGE = `usage: trainyard <command>

  check <pipeline.yaml>...                     validate pipeline files
  plan <pipeline.yaml>                         list the stages and their fingerprints
  stage <pipeline.yaml> <stage> [--key K]      run one stage (what each Nx task runs, with the
                                               key Nx planned it with: it must still hold)
  key <pipeline.yaml> <stage>                  print what the stage's cache key takes from the
                                               file and the machine (in its Nx command); for the
                                               data stage of a folder or csv source, also the
                                               fingerprint of its files
  run <pipeline.yaml>                          run every stage in order, without Nx's cache
  shard <pipeline.yaml> --shards N --index I   run, through Nx and its caches, slice I (1..N) of the
        [--dry-run] [-- <nx options>]          pipeline's runs, balanced by expected cost; then
                                               'npx nx run pipeline:<name>' anywhere replays them
  results <pipeline.yaml> [--json|--csv|--md]  the runs' results from artifacts/ made by the
                                               configuration planned now, best test accuracy first
                                               (a table, or as data)
  diff <pipeline.yaml> [<git ref>] [--run]     settings and results that changed between the working
       [--json|--md] [--report]                tree and a commit (default HEAD), each replayed from
                                               Nx's caches; --run runs what is not cached; --report
                                               draws both sides' curves in artifacts/<name>/diff/
  backend                                      print the training backend 'auto' resolves to here

--profile quick (every command that reads a file) reduces every run to the sizes the tests use
(1,000 training images, 300 test images, one epoch); through Nx: --configuration=quick.
TRAINYARD_OVERRIDES='{training: {epochs: 1}}' is merged over every run of the file, last;
the fingerprints follow both.

Exit codes: 0 done, 1 a run refused or failed (bad input included), 2 a command used wrongly,
130 interrupted (Ctrl-C).

Usually run through Nx: npx nx run pipeline:<name>`;

/** Every command reads the file the same way, profile and overrides included, so `key` fingerprints what `stage` runs. */
let profile: string | undefined;
const load = (file: string) => loadPipeline(file, process.env.TRAINYARD_OVERRIDES, profile);

class UsageError extends Error {
  readonly code = 'TY_USAGE';
}

/** The command is right, but what it would do cannot be done here as things are. */
class RefusedError extends Error {
  readonly code = 'TY_REFUSED';
}

/** Nx ran a stage with a key planned from other inputs: its project graph is older than the file or the environment. */
class StaleKeyError extends Error {
  readonly code = 'TY_STALE_KEY';
  constructor(file: string, stage: string, given: string, now: string) {
    super(
      `${file}: stage ${stage} was planned with key ${given} but reads ${now} now: Nx's project graph is stale ` +
        '(an Nx daemon started before TRAINYARD_OVERRIDES, TRAINYARD_BACKEND or TRAINYARD_THREADS changed?); run npx nx reset, or NX_DAEMON=false',
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      shards: { type: 'string' },
      index: { type: 'string' },
      'dry-run': { type: 'boolean' },
      key: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      md: { type: 'boolean' },
      run: { type: 'boolean' },
      report: { type: 'boolean' },
    },
  });
  profile = values.profile;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return;
  }
  const workspace = process.cwd();
  switch (command) {
    case 'check': {
      if (rest.length === 0) throw new UsageError('check needs at least one pipeline file');
      let failed = false;
      for (const file of rest) {
        try {
          const { name, overrides, runs } = load(file);
          const how = [profile && `profile ${profile}`, process.env.TRAINYARD_OVERRIDES && overrides && 'with TRAINYARD_OVERRIDES'].filter(Boolean);
          console.log(`${file}: ok (pipeline ${name}, ${plural(runs.length, 'run')}${how.length ? `, ${how.join(', ')}` : ''})`);
        } catch (e) {
          failed = true;
          report(e);
        }
      }
      if (failed) process.exitCode = 1;
      return;
    }
    case 'plan': {
      const plan = planPipeline(load(one(rest, 'plan')));
      for (const s of plan.stages) {
        console.log(`${plan.pipeline}.${s.id}  ${s.fingerprint}  needs [${s.needs.join(', ')}]  ${s.description}`);
      }
      return;
    }
    case 'stage': {
      if (rest.length !== 2) throw new UsageError('stage needs a pipeline file and a stage id');
      const pipeline = load(rest[0]);
      const plan = planPipeline(pipeline);
      const stage = plan.stages.find((s) => s.id === rest[1]);
      if (!stage) throw new UsageError(`${rest[0]} has no stage '${rest[1]}' (it has ${plan.stages.map((s) => s.id).join(', ')})`);
      const key = values.key !== undefined ? stageKey(stage) : undefined;
      if (key !== undefined && key !== values.key) throw new StaleKeyError(rest[0], stage.id, values.key!, key);
      // Nx runs stages with --key and caches artifacts/<pipeline>/<stage>: outputs moved elsewhere would be cached empty.
      if (values.key !== undefined && artifactsRoot(workspace) !== join(workspace, 'artifacts')) {
        throw new RefusedError(`TRAINYARD_ARTIFACTS is set (${process.env.TRAINYARD_ARTIFACTS}), but Nx caches artifacts/${plan.pipeline}/${rest[1]}: unset it to run stages through Nx`);
      }
      endWithParent();
      await runStage({ plan, pipeline, stageId: rest[1], workspace });
      return;
    }
    case 'key': {
      if (rest.length !== 2) throw new UsageError('key needs a pipeline file and a stage id');
      const stage = planPipeline(load(rest[0])).stages.find((s) => s.id === rest[1]);
      if (!stage) throw new UsageError(`${rest[0]} has no stage '${rest[1]}'`);
      console.log(stageKey(stage));
      if (stage.kind === 'data') {
        // An image source's files are a key input of their own (the Nx plugin sets it before tasks run): its fingerprint and what it cost.
        const { datasetFingerprint } = require('../../libs/data') as typeof import('../../libs/data');
        const started = performance.now();
        const files = datasetFingerprint(stage.reads.dataset as Parameters<typeof datasetFingerprint>[0], { workspace });
        if (files) console.log(`files ${files.digest} (${files.files.toLocaleString('en-US')} files, checked in ${Math.round(performance.now() - started)} ms)`);
      }
      return;
    }
    case 'run': {
      const pipeline = load(one(rest, 'run'));
      const plan = planPipeline(pipeline);
      for (const stage of plan.stages) {
        console.log(`> ${plan.pipeline}.${stage.id}`);
        await runStage({ plan, pipeline, stageId: stage.id, workspace });
      }
      return;
    }
    case 'shard': {
      if (rest.length < 1) throw new UsageError('shard needs a pipeline file, --shards N and --index I');
      const count = whole(values.shards, '--shards', 1);
      const index = whole(values.index, '--index', 1);
      if (index > count) throw new UsageError(`--index must be between 1 and --shards (${count}); got ${index}`);
      process.exitCode = shard(planPipeline(load(rest[0])), count, index, { dryRun: values['dry-run'] ?? false, nxArgs: rest.slice(1), workspace });
      return;
    }
    case 'results': {
      const plan = planPipeline(load(one(rest, 'results')));
      const formats = (['json', 'csv', 'md'] as const).filter((f) => values[f]);
      if (formats.length > 1) throw new UsageError(`results takes one of --json, --csv, --md (got ${formats.map((f) => `--${f}`).join(', ')})`);
      // Required here: the other commands need neither the report lib nor the stages.
      const { formatResults, resultRows } = require('../../libs/report') as typeof import('../../libs/report');
      const { filesNow, readRuns, staleness, overridesText } = require('../../libs/stages') as typeof import('../../libs/stages');
      // One check of each image dataset's files for every stage asked about.
      const files = filesNow(workspace);
      const { runs, missing, stale } = readRuns(plan, workspace, files);
      const all = missing.length + stale.length + runs.length;
      const replay = `npx nx run pipeline:${plan.pipeline}${plan.overrides?.profile ? ` --configuration=${plan.overrides.profile}` : ''}`;
      // Only results of the configuration planned now: what the report of this configuration shows, nothing older.
      if (missing.length) console.error(`${plan.file}: no results yet for ${missing.length} of ${plural(all, 'run')} (${listed(missing)}): ${replay}`);
      for (const why of new Set(stale.map((s) => s.why))) {
        const ids = stale.filter((s) => s.why === why).map((s) => s.run);
        console.error(`${plan.file}: left out ${plural(ids.length, 'run')} of ${all} (${listed(ids)}): artifacts/${plan.pipeline} holds results ${why}; ${replay} brings this configuration's`);
      }
      if (!runs.length) {
        process.exitCode = 1;
        return;
      }
      if (plan.overrides) console.error(`${plan.file}: reduced runs, made under ${overridesText(plan.overrides)}: not the figures of the file as written`);
      const report = staleness(plan, 'charts', workspace, files);
      if (report) console.error(`${plan.file}: artifacts/${plan.pipeline}/charts/report.html does not show these results (it was ${report}): ${replay} redraws it`);
      process.stdout.write(formatResults(resultRows(runs), formats[0] ?? 'text'));
      return;
    }
    case 'diff': {
      if (rest.length < 1 || rest.length > 2) throw new UsageError('diff needs a pipeline file and at most one git ref');
      const [file, ref = 'HEAD'] = rest;
      const formats = (['json', 'md'] as const).filter((f) => values[f]);
      if (formats.length > 1) throw new UsageError('diff takes one of --json, --md');
      const { name } = load(file);
      const { replay, inWorktree, DiffError } = require('./diff') as typeof import('./diff');
      const { diffResults, formatDiff } = require('../../libs/report') as typeof import('../../libs/report');
      const options = {
        run: values.run ?? false,
        cacheDir: process.env.NX_CACHE_DIRECTORY ?? join(workspace, '.nx', 'cache'),
        dataDir: process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(workspace, '.nx', 'workspace-data'),
        nx: realpathSync(join(workspace, 'node_modules', '.bin', 'nx')),
        log: (line: string) => console.error(line),
      };
      const now = await replay(workspace, file, options);
      const [commit, then] = await inWorktree(workspace, ref, async (tree, commit) => {
        if (!existsSync(join(tree, file))) throw new DiffError(`diff: ${file} does not exist at ${ref} (${commit.slice(0, 7)})`);
        return [commit, await replay(tree, file, options)] as const;
      });
      const old = `${ref} (${commit.slice(0, 7)})`;
      // Settings come from both files' plans; results only from the cache: a run not cached shows as such.
      const diff = diffResults(then, now, { old, new: 'working tree' });
      for (const [side, { uncached }, runs] of [[old, then, diff.uncached.old], ['working tree', now, diff.uncached.new]] as const) {
        if (uncached.length) console.error(`${side}: ${plural(uncached.length, 'stage')} not in the cache (${listed(uncached, 4)}), so ${plural(runs.length, 'run')} show${runs.length === 1 ? 's' : ''} as not cached; --run runs ${uncached.length > 1 ? 'them' : 'it'}`);
      }
      process.stdout.write(formatDiff(diff, formats[0] ?? 'text'));
      // Exit 1 only when there is nothing to compare: no setting changed, no run added or removed, no run cached on both sides.
      if (!diff.params.length && !diff.added.length && !diff.removed.length && !diff.metrics.some((m) => m.cached.old && m.cached.new)) process.exitCode = 1;
      if (!values.report) return;
      if (then.runs.length || now.runs.length) console.error(`wrote ${relative(workspace, await writeDiffReport(name, { old, then: then.runs, now: now.runs }, join(workspace, 'artifacts', name, 'diff')))}`);
      else console.error('diff: no run is cached on either side, so no report is written');
      return;
    }
    case 'backend':
      console.log(preferredBackend(requestedBackend()));
      return;
    default:
      throw new UsageError(`unknown command '${command}'\n${USAGE}`);
  }
}

/**
 * Nx starts a stage in a session of its own, so a SIGKILL of Nx's process group does not reach it: the
 * stage notices its parent is gone and stops itself, through the same SIGTERM path that removes its
 * unfinished output. (Nx's command execs this process, so the parent is Nx's, not a shell's.)
 */
function endWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

/** Both sides' runs in one report, each run and group named with its side: their curves overlaid. Returns the HTML page's path. */
async function writeDiffReport(pipeline: string, sides: { old: string; then: ReportRun[]; now: ReportRun[] }, out: string): Promise<string> {
  const { writeCharts } = require('../../libs/charts') as typeof import('../../libs/charts');
  const { writeReport } = require('../../libs/report') as typeof import('../../libs/report');
  const tag = (runs: ReportRun[], side: string) => runs.map((r) => ({ ...r, name: `${r.name} · ${side}`, group: `${r.group ?? r.name} · ${side}` }));
  const runs = [...tag(sides.now, 'working tree'), ...tag(sides.then, sides.old)];
  await writeCharts(runs, { include: ['loss', 'accuracy', 'test-accuracy'] }, out);
  writeReport({ pipeline: `${pipeline}: the working tree against ${sides.old}`, runs, chartsDir: out }, out);
  return join(out, 'report.html');
}

function whole(value: string | undefined, flag: string, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number >= ${min}${value === undefined ? '' : ` (got '${value}')`}`);
  return n;
}

/** Prints the slice and runs its runs' evaluate targets through Nx (which adds the stages they need). Returns Nx's exit code. */
function shard(plan: Plan, count: number, index: number, o: { dryRun: boolean; nxArgs: string[]; workspace: string }): number {
  const shards = shardPlan(plan, count);
  const total = shards.reduce((n, s) => n + s.cost, 0) || 1;
  const mine = shards[index - 1];
  const share = (cost: number) => `${((100 * cost) / total).toFixed(0)}%`;
  console.log(`${plan.file}: shard ${index} of ${count}, ${mine.runs.length} of ${shards.reduce((n, s) => n + s.runs.length, 0)} runs, ${share(mine.cost)} of the expected work`);
  const width = Math.max(0, ...mine.runs.map((r) => r.id.length));
  for (const r of mine.runs) console.log(`  ${r.id.padEnd(width)}  ${share(r.cost).padStart(4)}  ${r.label}`);
  if (mine.runs.length === 0 || o.dryRun) return 0;
  const { stageProject } = require('../../libs/nx-plugin') as typeof import('../../libs/nx-plugin');
  const args = ['run-many', '--projects', mine.runs.map((r) => stageProject(plan.pipeline, r.evaluate)).join(','), '--targets', 'evaluate', ...o.nxArgs];
  const nx = spawnSync(join(o.workspace, 'node_modules', '.bin', 'nx'), args, { cwd: o.workspace, stdio: 'inherit' });
  if (nx.error) throw nx.error;
  return nx.status ?? 1;
}

const plural = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** The first `max` ids, and `...` for the rest. */
const listed = (ids: string[], max = 5) => `${ids.slice(0, max).join(', ')}${ids.length > max ? ', ...' : ''}`;

function one(rest: string[], command: string): string {
  if (rest.length !== 1) throw new UsageError(`${command} needs exactly one pipeline file`);
  return rest[0];
}

/** Errors of bad input carry a stable code and a message meant for the user: print just that. */
function report(e: unknown): void {
  const err = e as Error & { code?: unknown };
  if (typeof err?.code === 'string' && err.code.startsWith('TY_')) console.error(err.message);
  else if (process.env.TRAINYARD_DEBUG) console.error(err);
  else console.error(`error: ${err?.message ?? String(e)} (set TRAINYARD_DEBUG=1 for details)`);
}

// A reader that stops early (`trainyard plan x.yaml | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// Exit codes (README, "Exit codes"): 1 for a refused run or bad input, 2 for a command used wrongly;
// 128 + the signal's number after an interrupt, from the stage's signal handler.
main(process.argv.slice(2)).catch((e) => {
  const code = (e as { code?: unknown })?.code;
  // node:util's parseArgs refuses an unknown option or a missing value: a usage error like ours.
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    const message = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${/'([^']+)'/.exec((e as Error).message)?.[1]}` : (e as Error).message;
    report(new UsageError(`${message} (trainyard --help lists the commands and options)`));
  }
  else report(e);
  process.exitCode = code === 'TY_USAGE' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) ? 2 : 1;
});
