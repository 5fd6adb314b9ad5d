import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataManifest } from '../../artifacts';
import { describeDataset, loadDataset, type LoadedDataset } from '../../data';
import type { StageContext } from './context';
import { upstream } from './context';

export async function runData(ctx: StageContext): Promise<void> {
  const loaded = await loadDataset(ctx.config.dataset, { workspace: ctx.workspace, log: ctx.log });
  const manifest = describeDataset(loaded, ctx.config.dataset);
  writeFileSync(join(ctx.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const { train, validation, test } = manifest.splits;
  ctx.log(`${manifest.source}: ${train.count} train, ${validation.count} validation, ${test.count} test images of ${manifest.imageShape.join('x')}; ${manifest.preprocessing}`);
}

/**
 * Rebuilds the data the data stage described (this stage's, or the one given) and checks it is the same, bit for bit: stages after
 * data recompute it (cheap) rather than cache hundreds of megabytes of tensors.
 */
export async function loadCheckedData(ctx: StageContext, data?: { id: string; dataset: StageContext['config']['dataset'] }): Promise<{ loaded: LoadedDataset; manifest: DataManifest }> {
  const manifest = upstream<DataManifest>(ctx, data ?? 'data', 'manifest.json');
  const dataset = data?.dataset ?? ctx.config.dataset;
  const loaded = await loadDataset(dataset, { workspace: ctx.workspace, log: ctx.log });
  const rebuilt = describeDataset(loaded, dataset);
  for (const split of ['train', 'validation', 'test'] as const) {
    if (rebuilt.splits[split].sha256 !== manifest.splits[split].sha256) {
      throw new Error(`the ${split} split differs from the one the data stage described (a dataset file changed?): run the pipeline again`);
    }
  }
  return { loaded, manifest };
}
