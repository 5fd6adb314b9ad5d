import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModelCard, type DataManifest, type Metrics, type MisclassifiedFile, type ModelCard, type ProbeFile, type RunInfo } from '../../artifacts';
import { channelsFirst } from '../../data';
import { assertParity, evaluateOnnx } from '../../evaluate';
import { size } from '../../graph';
import { CARD_KEY, INPUT_NAME, OUTPUT_NAME, withMetadata } from '../../onnx';
import { upstream, upstreamDir, type StageContext } from './context';
import { loadCheckedData } from './data';

export async function runEvaluate(ctx: StageContext): Promise<void> {
  const { loaded, manifest } = await loadCheckedData(ctx);
  const probe = upstream<ProbeFile>(ctx, 'train', 'probe.json');
  const modelPath = join(upstreamDir(ctx, 'export'), 'model.onnx');
  // The data lib stores NHWC, the ONNX input is NCHW.
  const images = channelsFirst(loaded.test.images, loaded.test.count, loaded.imageShape);
  const metrics = await evaluateOnnx({
    modelPath,
    images,
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
  const pixels = size(loaded.imageShape);
  const misclassified: MisclassifiedFile = {
    imageShape: [...loaded.imageShape],
    images: (metrics.misclassified ?? []).map((m) => ({ ...m, pixels: Array.from(images.subarray(m.index * pixels, (m.index + 1) * pixels), (v) => Math.round(v * 1000) / 1000) })),
  };
  writeFileSync(join(ctx.out, 'misclassified.json'), JSON.stringify(misclassified) + '\n');
  // The model as it leaves the project: the file just judged, with its card inside and beside it.
  const card = modelCard(ctx, manifest, upstream<RunInfo>(ctx, 'train', 'run.json'), metrics);
  checkModelCard(card);
  writeFileSync(join(ctx.out, 'model.json'), JSON.stringify(card, null, 2) + '\n');
  writeFileSync(join(ctx.out, 'model.onnx'), withMetadata(readFileSync(modelPath), { [CARD_KEY]: JSON.stringify(card) }));
  ctx.log(
    `${metrics.runtime}: test accuracy ${(100 * metrics.accuracy).toFixed(2)}% (${metrics.samples} images), loss ${metrics.loss.toFixed(4)}; parity max |diff| ${metrics.parity.maxAbsDiff.toExponential(2)} <= ${metrics.parity.tolerance}`,
  );
}

/** model.json: what a program that loads the model needs, from the stages' files (libs/artifacts/model-card.schema.json). */
function modelCard(ctx: StageContext, manifest: DataManifest, run: RunInfo, metrics: Metrics): ModelCard {
  const train = ctx.plan.stages.find((s) => s.id === ctx.stage.uses.train)!;
  return {
    card: 1,
    pipeline: ctx.plan.pipeline,
    run: run.run,
    ...(run.label !== undefined && { label: run.label }),
    ...(run.values !== undefined && { values: run.values }),
    fingerprint: train.fingerprint,
    ...(run.overrides && { overrides: run.overrides }),
    model: { name: run.model, parameters: run.paramCount },
    opset: ctx.config.export.opset,
    input: { name: INPUT_NAME, layout: 'NCHW', shape: ['batch', ...manifest.imageShape], dtype: 'float32' },
    output: { name: OUTPUT_NAME, holds: 'logits', shape: ['batch', manifest.classes.length], dtype: 'float32' },
    classes: manifest.classes,
    preprocessing: { source: { shape: manifest.sourceShape, layout: 'HWC', dtype: 'uint8' }, steps: manifest.steps },
    metrics: { test: { accuracy: metrics.accuracy, loss: metrics.loss, samples: metrics.samples, runtime: metrics.runtime } },
  };
}
