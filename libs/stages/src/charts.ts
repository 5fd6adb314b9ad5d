import type { History, Metrics, RunInfo } from '../../artifacts';
import { writeCharts } from '../../charts';
import { writeReport } from '../../report';
import { upstream, type StageContext } from './context';

export async function runCharts(ctx: StageContext): Promise<void> {
  const info = upstream<RunInfo>(ctx, 'train', 'run.json');
  const run = {
    name: info.model,
    history: upstream<History>(ctx, 'train', 'history.json'),
    run: info,
    metrics: upstream<Metrics>(ctx, 'evaluate', 'metrics.json'),
  };
  const files = await writeCharts([run], ctx.config.charts, ctx.out);
  writeReport({ pipeline: ctx.plan.pipeline, description: ctx.config.description, runs: [run], chartsDir: ctx.out }, ctx.out);
  ctx.log(`wrote ${files.length} chart files and report.md to artifacts/${ctx.plan.pipeline}/${ctx.stage.id}`);
}
