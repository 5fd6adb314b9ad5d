import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, STAGE_RECORD, stageDir, type FeaturesFile, type History, type Metrics, type MisclassifiedFile, type Overrides, type RunInfo, type StageRecord } from '../../artifacts';
import { datasetFingerprint } from '../../data';
import type { Dataset } from '../../pipeline-schema';
import { stageLineage, type Plan, type StageFiles } from '../../plan';
import type { ReportRun } from '../../report';

/** A stage folder made from another configuration than the one planned now: which, and how it differs. */
export interface Stale {
  run: string;
  why: string;
}

/**
 * The fingerprint of each data stage's image files as they are now: a stat of each file, and a read of
 * those not hashed before (datasetFingerprint). One check per dataset.
 */
export function filesNow(workspace: string): StageFiles {
  const known = new Map<string, string | undefined>();
  return (stage) => {
    if (stage.kind !== 'data') return undefined;
    const dataset = stage.reads.dataset as Dataset;
    const id = JSON.stringify(dataset);
    if (!known.has(id)) known.set(id, datasetFingerprint(dataset, { workspace })?.digest);
    return known.get(id);
  };
}

/**
 * Whether `artifacts/<pipeline>/<stage>` was made by the configuration planned now, from the image files
 * there are now; if not, why not. Under other overrides the fingerprints differ, so results made under
 * TRAINYARD_OVERRIDES are never taken for the file's own; after an image was added, removed or edited,
 * results made from the files before are not taken for those of the files now.
 */
export function staleness(plan: Plan, stageId: string, workspace: string, files = filesNow(workspace), memo = new Map<string, string>()): string | undefined {
  const file = join(stageDir(plan.pipeline, stageId, workspace), STAGE_RECORD);
  if (!existsSync(file)) return 'made by an older Trainyard';
  const record = readJson<StageRecord>(file);
  if (record.lineage === stageLineage(plan, stageId, files, memo)) return undefined;
  if (JSON.stringify(record.overrides ?? null) === JSON.stringify(plan.overrides ?? null)) {
    const edited = plan.stages.filter((s) => record.files?.[s.id] !== undefined && record.files[s.id] !== files(s));
    if (edited.length) return `made before the files of ${[...new Set(edited.map((s) => (s.reads.dataset as Dataset).path))].join(', ')} changed (an image added, removed or edited)`;
    return 'made from another version of the file, backend or thread count';
  }
  const made = record.overrides ? `made under ${overridesText(record.overrides)}` : 'made from the file as written';
  return `${made}, ${plan.overrides ? `but planned now under ${overridesText(plan.overrides)}` : 'but the file as written is planned now'}`;
}

/** `profile quick {training: {epochs: 1}}`, `TRAINYARD_OVERRIDES {...}`: what was merged over the file, as messages show it. */
export function overridesText(o: Overrides): string {
  return `${o.profile !== undefined ? `profile ${o.profile}` : 'TRAINYARD_OVERRIDES'} ${JSON.stringify(o.values)}`;
}

/**
 * Every run of a plan as its train and evaluate stages left it in artifacts/, for the charts stage and
 * `trainyard results`. A run whose stages have not run yet (or not all) is listed in `missing`; one whose
 * stages were made from another configuration (an older file, other overrides) in `stale`, and is left out.
 */
export function readRuns(plan: Plan, workspace: string, files = filesNow(workspace)): { runs: ReportRun[]; missing: string[]; stale: Stale[] } {
  const charts = plan.stages.find((s) => s.kind === 'charts');
  const runs: ReportRun[] = [];
  const missing: string[] = [];
  const stale: Stale[] = [];
  const lineages = new Map<string, string>();
  const mapped = join(stageDir(plan.pipeline, 'features', workspace), 'features.json');
  const features = plan.stages.some((s) => s.kind === 'features') && existsSync(mapped) ? readJson<FeaturesFile>(mapped) : undefined;
  for (const r of charts?.runs ?? []) {
    const train = stageDir(plan.pipeline, r.train, workspace);
    const evaluate = stageDir(plan.pipeline, r.evaluate, workspace);
    if (!existsSync(join(train, 'run.json')) || !existsSync(join(evaluate, 'metrics.json'))) {
      missing.push(r.id);
      continue;
    }
    const why = staleness(plan, r.evaluate, workspace, files, lineages);
    if (why) {
      stale.push({ run: r.id, why });
      continue;
    }
    const info = readJson<RunInfo>(join(train, 'run.json'));
    const misclassified = join(evaluate, 'misclassified.json');
    const map = features?.maps.find((m) => m.run === r.id);
    runs.push({
      ...(existsSync(misclassified) && { misclassified: readJson<MisclassifiedFile>(misclassified) }),
      ...(map && { features: { ...map, classes: features!.classes } }),
      name: r.id === 'default' ? info.model : r.label,
      group: r.group,
      history: readJson<History>(join(train, 'history.json')),
      run: info,
      metrics: readJson<Metrics>(join(evaluate, 'metrics.json')),
    });
  }
  return { runs, missing, stale };
}
