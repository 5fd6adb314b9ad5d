import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWeights, type DataManifest } from '../../artifacts';
import { exportOnnx } from '../../onnx';
import { upstream, upstreamDir, type StageContext } from './context';

export async function runExport(ctx: StageContext): Promise<void> {
  const manifest = upstream<DataManifest>(ctx, 'data', 'manifest.json');
  const weights = readWeights(upstreamDir(ctx, 'train'));
  const normalize = (manifest.transforms as { type: string; mean?: number; std?: number }[]).filter((t) => t.type === 'normalize');
  const bytes = exportOnnx({
    model: ctx.config.model,
    weights,
    opset: ctx.config.export.opset,
    graphName: ctx.config.model.name ?? ctx.plan.pipeline,
    metadata: {
      'trainyard.pipeline': ctx.plan.pipeline,
      'trainyard.fingerprint': ctx.stage.fingerprint,
      'trainyard.classes': JSON.stringify(manifest.classes),
      'trainyard.input_shape': JSON.stringify(['batch', ...manifest.imageShape]),
      'trainyard.preprocessing': manifest.preprocessing,
      'trainyard.normalization': JSON.stringify(normalize.map(({ mean, std }) => ({ mean, std }))),
      'trainyard.output': 'logits: apply softmax for probabilities',
    },
  });
  writeFileSync(join(ctx.out, 'model.onnx'), bytes);
  ctx.log(`model.onnx: ${(bytes.length / 1024).toFixed(1)} KiB, opset ${ctx.config.export.opset}, input [batch, ${manifest.imageShape.join(', ')}] float32 NCHW, output logits [batch, ${manifest.classes.length}]`);
}
