import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MisclassifiedFile, ProbeFile } from '../../artifacts';
import { assertParity, evaluateOnnx } from '../../evaluate';
import { upstream, upstreamDir, type StageContext } from './context';
import { loadCheckedData } from './data';

export async function runEvaluate(ctx: StageContext): Promise<void> {
  const { loaded } = loadCheckedData(ctx);
  const probe = upstream<ProbeFile>(ctx, 'train', 'probe.json');
  const metrics = await evaluateOnnx({
    modelPath: join(upstreamDir(ctx, 'export'), 'model.onnx'),
    images: loaded.test.images,
    labels: loaded.test.labels,
    count: loaded.test.count,
    imageShape: loaded.imageShape,
    classes: loaded.classes,
    probe,
    tolerance: ctx.config.evaluate.tolerance,
  });
  // A model whose ONNX file disagrees with what was trained is not a result: fail before writing.
  assertParity(metrics.parity);
  writeFileSync(join(ctx.out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  // Their pixels as the model saw them (after the transforms), for the report's grid; 3 decimals are plenty for a picture.
  const pixels = loaded.imageShape.reduce((a, b) => a * b, 1);
  const misclassified: MisclassifiedFile = {
    imageShape: [...loaded.imageShape],
    images: (metrics.misclassified ?? []).map((m) => ({ ...m, pixels: Array.from(loaded.test.images.subarray(m.index * pixels, (m.index + 1) * pixels), (v) => Math.round(v * 1000) / 1000) })),
  };
  writeFileSync(join(ctx.out, 'misclassified.json'), JSON.stringify(misclassified) + '\n');
  ctx.log(
    `${metrics.runtime}: test accuracy ${(100 * metrics.accuracy).toFixed(2)}% (${metrics.samples} images), loss ${metrics.loss.toFixed(4)}; parity max |diff| ${metrics.parity.maxAbsDiff.toExponential(2)} <= ${metrics.parity.tolerance}`,
  );
}
