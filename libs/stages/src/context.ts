import { join } from 'node:path';
import { readJson, stageDir, type Overrides } from '../../artifacts';
import type { Plan, Stage } from '../../plan';
import type { LoadedRun, ResolvedPipeline } from '../../pipeline-file';

export interface StageContext {
  workspace: string;
  plan: Plan;
  stage: Stage;
  config: ResolvedPipeline;
  /** The run's model matched to another model's parameter count (`mlp.match-params`), for run.json. */
  matched?: LoadedRun['matched'];
  /** What was merged over every run (a profile, TRAINYARD_OVERRIDES): a reduced run, which every output says it is. */
  overrides?: Overrides;
  /** The temporary folder the stage writes into; it replaces the stage's folder only on success. */
  out: string;
  log(line: string): void;
}

type Role = keyof Stage['uses'];

/** The folder of the stage playing `role` for this one (its data, train or export stage). */
export function upstreamDir(ctx: StageContext, role: Role | { id: string }): string {
  const id = typeof role === 'string' ? ctx.stage.uses[role] : role.id;
  if (!id) throw new Error(`stage ${ctx.stage.id} has no ${String(role)} stage`);
  return stageDir(ctx.plan.pipeline, id, ctx.workspace);
}

/** Reads a JSON file an upstream stage wrote. */
export function upstream<T>(ctx: StageContext, role: Role | { id: string }, file: string): T {
  return readJson<T>(join(upstreamDir(ctx, role), file));
}
