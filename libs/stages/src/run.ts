import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, STAGE_RECORD, stageDir, writeStage, type StageRecord } from '../../artifacts';
import { lineageFiles, stageLineage, type Plan, type Stage, type StageFiles, type StageKind } from '../../plan';
import type { LoadedPipeline, ResolvedPipeline } from '../../pipeline-file';
import type { StageContext } from './context';
import { filesNow } from './runs';

type Runner = (ctx: StageContext) => Promise<void>;

// Required on use: a stage loads only its own libs (charts never loads onnxruntime, data never TensorFlow.js),
// which is also what lets the Nx cache key of a stage cover just the code it runs.
const runners: Record<StageKind, () => Runner> = {
  data: () => (require('./data') as typeof import('./data')).runData,
  train: () => (require('./train') as typeof import('./train')).runTrain,
  export: () => (require('./export') as typeof import('./export')).runExport,
  evaluate: () => (require('./evaluate') as typeof import('./evaluate')).runEvaluate,
  features: () => (require('./features') as typeof import('./features')).runFeatures,
  charts: () => (require('./charts') as typeof import('./charts')).runCharts,
};

/** Runs one stage of a plan into `artifacts/<pipeline>/<stage>/`, replacing it only when the stage succeeds. */
export async function runStage(opts: { plan: Plan; pipeline: LoadedPipeline; stageId: string; workspace: string; log?: (line: string) => void }): Promise<void> {
  const stage = opts.plan.stages.find((s) => s.id === opts.stageId);
  if (!stage) throw new Error(`${opts.plan.file} has no stage '${opts.stageId}' (it has ${opts.plan.stages.map((s) => s.id).join(', ')})`);
  const log = opts.log ?? ((line: string) => console.log(line));
  // A run's stages read that run's configuration; data and charts read the base.
  const run = stage.run && opts.pipeline.runs.find((r) => r.id === stage.run!.id);
  // A data stage reads its own dataset: in a pipeline whose runs differ in their data (a noise sweep), not the base's.
  const config = run?.config ?? (stage.kind === 'data' ? { ...opts.pipeline.config, dataset: stage.reads.dataset as ResolvedPipeline['dataset'] } : opts.pipeline.config);
  const { overrides } = opts.plan;
  const files = filesMadeFrom(opts.plan, stage, opts.workspace);
  await writeStage(stageDir(opts.plan.pipeline, stage.id, opts.workspace), async (out) => {
    await runners[stage.kind]()({ workspace: opts.workspace, plan: opts.plan, stage, config, matched: run?.matched, overrides, out, log });
    const made = lineageFiles(opts.plan, stage.id, files);
    const record: StageRecord = { pipeline: opts.plan.pipeline, stage: stage.id, lineage: stageLineage(opts.plan, stage.id, files), ...(Object.keys(made).length && { files: made }), ...(overrides && { overrides }) };
    writeFileSync(join(out, STAGE_RECORD), JSON.stringify(record, null, 2) + '\n');
  });
}

/**
 * The image files a stage is made from: for a data stage, its files as they are before it reads them; for
 * the stages after it, those its data stage recorded, which it read (not the files now, which may have
 * changed since: their results are then stale).
 */
function filesMadeFrom(plan: Plan, stage: Stage, workspace: string): StageFiles {
  const own = filesNow(workspace)(stage);
  return (s) => {
    if (s.id === stage.id) return own;
    if (s.kind !== 'data') return undefined;
    const file = join(stageDir(plan.pipeline, s.id, workspace), STAGE_RECORD);
    return existsSync(file) ? readJson<StageRecord>(file).files?.[s.id] : undefined;
  };
}
