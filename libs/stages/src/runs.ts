import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, stageDir, type FeaturesFile, type History, type Metrics, type MisclassifiedFile, type RunInfo } from '../../artifacts';
import type { Plan } from '../../plan';
import type { ReportRun } from '../../report';

/**
 * Every run of a plan as its train and evaluate stages left it in artifacts/, for the charts stage and
 * `trainyard results`. A run whose stages have not run yet (or not all) is listed in `missing`.
 */
export function readRuns(plan: Plan, workspace: string): { runs: ReportRun[]; missing: string[] } {
  const charts = plan.stages.find((s) => s.kind === 'charts');
  const runs: ReportRun[] = [];
  const missing: string[] = [];
  const mapped = join(stageDir(plan.pipeline, 'features', workspace), 'features.json');
  const features = plan.stages.some((s) => s.kind === 'features') && existsSync(mapped) ? readJson<FeaturesFile>(mapped) : undefined;
  for (const r of charts?.runs ?? []) {
    const train = stageDir(plan.pipeline, r.train, workspace);
    const evaluate = stageDir(plan.pipeline, r.evaluate, workspace);
    if (!existsSync(join(train, 'run.json')) || !existsSync(join(evaluate, 'metrics.json'))) {
      missing.push(r.id);
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
  return { runs, missing };
}
