import { writeCharts } from '../../charts';
import { writeReport } from '../../report';
import type { StageContext } from './context';
import { readRuns } from './runs';

export async function runCharts(ctx: StageContext): Promise<void> {
  const { runs, missing, stale } = readRuns(ctx.plan, ctx.workspace);
  // Nx ran every train and evaluate stage before this one: a gap is a bug, not a state to draw.
  if (missing.length) throw new Error(`runs without results in artifacts/${ctx.plan.pipeline}: ${missing.join(', ')}`);
  if (stale.length) throw new Error(`runs whose results in artifacts/${ctx.plan.pipeline} were made from another configuration: ${stale.map((s) => `${s.run} (${s.why})`).join(', ')}`);
  const files = await writeCharts(runs, ctx.config.charts, ctx.out);
  writeReport({ pipeline: ctx.plan.pipeline, description: ctx.config.description, overrides: ctx.overrides?.values, profile: ctx.overrides?.profile, runs, chartsDir: ctx.out }, ctx.out);
  ctx.log(`wrote ${files.length} chart files, report.md and report.html to artifacts/${ctx.plan.pipeline}/${ctx.stage.id}`);
}
