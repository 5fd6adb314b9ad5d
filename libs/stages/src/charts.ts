import type { History, Metrics, RunInfo } from '../../artifacts';
import { writeCharts } from '../../charts';
import { writeReport } from '../../report';
import { upstream, type StageContext } from './context';

export async function runCharts(ctx: StageContext): Promise<void> {
  const runs = (ctx.stage.runs ?? []).map((r) => {
    const info = upstream<RunInfo>(ctx, { id: r.train }, 'run.json');
    return {
      name: r.id === 'default' ? info.model : r.label,
      group: r.group,
      history: upstream<History>(ctx, { id: r.train }, 'history.json'),
      run: info,
      metrics: upstream<Metrics>(ctx, { id: r.evaluate }, 'metrics.json'),
    };
  });
  const files = await writeCharts(runs, ctx.config.charts, ctx.out);
  writeReport({ pipeline: ctx.plan.pipeline, description: ctx.config.description, overrides: ctx.overrides, profile: ctx.profile, runs, chartsDir: ctx.out }, ctx.out);
  ctx.log(`wrote ${files.length} chart files and report.md to artifacts/${ctx.plan.pipeline}/${ctx.stage.id}`);
}
