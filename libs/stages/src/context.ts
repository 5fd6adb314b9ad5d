import { join } from 'node:path';
import { readJson, stageDir } from '../../artifacts';
import type { Plan, Stage } from '../../plan';
import type { ResolvedPipeline } from '../../spec';

export interface StageContext {
  workspace: string;
  plan: Plan;
  stage: Stage;
  config: ResolvedPipeline;
  /** The temporary folder the stage writes into; it replaces the stage's folder only on success. */
  out: string;
  log(line: string): void;
}

/** Reads a JSON file an upstream stage wrote, by stage id. */
export function upstream<T>(ctx: StageContext, stageId: string, file: string): T {
  return readJson<T>(join(stageDir(ctx.plan.pipeline, stageId, ctx.workspace), file));
}

export function upstreamDir(ctx: StageContext, stageId: string): string {
  return stageDir(ctx.plan.pipeline, stageId, ctx.workspace);
}
