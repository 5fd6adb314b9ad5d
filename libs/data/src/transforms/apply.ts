import type { Transform } from '../../../pipeline-schema';
import type { ResolvedTransform } from '../config';
import { DataError } from '../errors';
import { centerCrop } from './center-crop';
import { grayscale } from './grayscale';
import { noise } from './noise';
import { normalize } from './normalize';
import { pad } from './pad';
import { resize } from './resize';
import type { PreprocessingStep } from '../../../artifacts';
import type { ImageBatch, ImageShape, SplitName, TransformOp } from './types';

type Ops = { [K in Transform['type']]: TransformOp<Extract<ResolvedTransform, { type: K }>> };
const OPS: Ops = { pad, normalize, noise, resize, grayscale, 'center-crop': centerCrop };

function opOf(t: ResolvedTransform, i: number): TransformOp<ResolvedTransform> {
  const op = (OPS as Record<string, unknown>)[t?.type];
  if (op === undefined) {
    const detail = `unknown type '${String(t?.type)}'; expected ${Object.keys(OPS).join(', ')}`;
    throw new DataError(`dataset.transforms[${i}]: ${detail}`, { transform: { index: i, detail } });
  }
  return op as TransformOp<ResolvedTransform>;
}

/** Runs `work` for transform i, prefixing its failure with which transform it was. */
export function inTransform<R>(t: ResolvedTransform, i: number, work: (op: TransformOp<ResolvedTransform>) => R): R {
  const op = opOf(t, i);
  try {
    return work(op);
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`dataset.transforms[${i}] (${t.type}): ${e.message}`, { transform: { index: i, detail: e.message } });
    throw e;
  }
}

/** Image shape after all transforms; also checks every transform against the shape it will see. */
export function transformedShape(shape: ImageShape, transforms: readonly ResolvedTransform[]): ImageShape {
  return transforms.reduce<ImageShape>((s, t, i) => inTransform(t, i, (op) => op.outputShape(t, s)), shape);
}

/** Applies the transforms in order, starting at index `from`; the input batch may be modified in place. */
export function applyTransforms(batch: ImageBatch, transforms: readonly ResolvedTransform[], split: SplitName, from = 0): ImageBatch {
  let b = batch;
  for (let i = from; i < transforms.length; i++) {
    const t = transforms[i];
    b = inTransform(t, i, (op) => op.apply(b, t, split));
  }
  return b;
}

/**
 * What a consumer does to an image's raw pixels (bytes, 0 to 255) to feed the model, in order: the
 * loader's scaling, then every transform but those (noise) that only serve training.
 */
export function preprocessingSteps(shape: ImageShape, transforms: readonly ResolvedTransform[]): PreprocessingStep[] {
  const steps: PreprocessingStep[] = [{ type: 'scale', divide: 255 }];
  let s = shape;
  transforms.forEach((t, i) =>
    inTransform(t, i, (op) => {
      const step = op.step(t, s);
      if (step !== undefined) steps.push(step);
      s = op.outputShape(t, s);
    }),
  );
  return steps;
}

/** The steps as one line of prose: `x = pixel / 255; pad 28x28 to 32x32 with 0; x = (x - 0.1307) / 0.3081`. */
export function describePreprocessing(shape: ImageShape, transforms: readonly ResolvedTransform[]): string {
  let [h, w] = [shape[1], shape[2]];
  return preprocessingSteps(shape, transforms)
    .map((step) => {
      if (step.type === 'scale') return `x = pixel / ${step.divide}`;
      if (step.type === 'normalize') return `x = (x - ${step.mean}) / ${step.std}`;
      if (step.type === 'grayscale') return 'grayscale (0.299 R + 0.587 G + 0.114 B)';
      if (step.type === 'resize') {
        const from = `${h}x${w}`;
        [h, w] = [step.height, step.width];
        return `resize ${from} to ${h}x${w} (${step.fit}${step.fit === 'contain' ? `, padded with ${step.value}` : ''})`;
      }
      if (step.type === 'center-crop') {
        const from = `${h}x${w}`;
        [h, w] = [step.height, step.width];
        return `center-crop ${from} to ${h}x${w}`;
      }
      const [from, to] = [`${h}x${w}`, `${(h += step.top + step.bottom)}x${(w += step.left + step.right)}`];
      return `pad ${from} to ${to} with ${step.value}`;
    })
    .join('; ');
}
