import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bestAndBaseline, readJson, stageDir, type FeatureMap, type FeaturesFile, type Metrics, type RunInfo } from '../../artifacts';
import { channelsFirst, type LoadedDataset } from '../../data';
import { embed, testFeatures } from '../../evaluate';
import type { ResolvedPipeline } from '../../pipeline-file';
import type { Charts } from '../../pipeline-schema';
import { upstreamDir, type StageContext } from './context';
import { loadCheckedData } from './data';

const round = (v: number) => Math.round(v * 1000) / 1000;

/** UMAP maps of the test images' penultimate-layer features, for the best run and the baseline. */
export async function runFeatures(ctx: StageContext): Promise<void> {
  const settings = ctx.stage.reads.features as Required<NonNullable<Charts['features']>>;
  const runs = ctx.stage.runs!.map((r) => ({
    ...r,
    metrics: readJson<Metrics>(join(stageDir(ctx.plan.pipeline, r.evaluate, ctx.workspace), 'metrics.json')),
    run: readJson<RunInfo>(join(stageDir(ctx.plan.pipeline, r.train, ctx.workspace), 'run.json')),
  }));
  const { best, baseline } = bestAndBaseline(runs);
  const maps: FeatureMap[] = [];
  let classes: string[] = [];
  // The best run and the baseline usually share a data stage: rebuild and check it once.
  const data = new Map<string, LoadedDataset>();
  const loadedFor = async (id: string) => {
    if (!data.has(id)) data.set(id, (await loadCheckedData(ctx, { id, dataset: ctx.plan.stages.find((s) => s.id === id)!.reads.dataset as ResolvedPipeline['dataset'] })).loaded);
    return data.get(id)!;
  };
  for (const [role, r] of [['best', best], ['baseline', baseline]] as const) {
    if (!r) continue;
    const loaded = await loadedFor(r.data);
    classes = loaded.classes;
    const count = Math.min(settings.points, loaded.test.count);
    const started = Date.now();
    const { tensor, width, features, predicted } = await testFeatures({ modelPath: join(upstreamDir(ctx, { id: r.export }), 'model.onnx'), images: channelsFirst(loaded.test.images, count, loaded.imageShape), count, imageShape: loaded.imageShape });
    const xy = embed(features, width, {
      neighbors: settings.neighbors,
      seed: settings.seed,
      onEpoch: (epoch, epochs) => epoch < epochs && ctx.log(`${role} run ${r.id}: UMAP epoch ${epoch}/${epochs}`),
    });
    maps.push({
      run: r.id,
      role,
      tensor,
      width,
      x: Array.from({ length: count }, (_, i) => round(xy[2 * i])),
      y: Array.from({ length: count }, (_, i) => round(xy[2 * i + 1])),
      label: Array.from(loaded.test.labels.subarray(0, count)),
      predicted: Array.from(predicted),
    });
    ctx.log(`${role} run ${r.id} (${r.label}): mapped '${tensor}' (${width} features) of the first ${count} test images to 2-D in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const file: FeaturesFile = { method: 'umap', points: settings.points, neighbors: settings.neighbors, seed: settings.seed, classes, maps };
  writeFileSync(join(ctx.out, 'features.json'), JSON.stringify(file) + '\n');
}
