import type { ResolvedTransform } from '../config';
import { applyTransforms, inTransform } from './apply';
import type { ImageBatch, ImageShape, Placement, SplitName } from './types';

/** The pass that turns bytes into floats, with a leading run of transforms folded into it. */
interface FirstPass {
  /** Float value of each byte after the folded pixelwise transforms. */
  lut: Float32Array;
  placement: Placement;
  /** Transforms not folded in, applied afterwards. */
  rest: ResolvedTransform[];
}

function mapValues(values: Float32Array, t: ResolvedTransform, i: number, split: SplitName): Float32Array {
  return inTransform(t, i, (op) => op.apply({ data: values, count: values.length, shape: [1, 1, 1] }, t, split).data);
}

/**
 * Folds transforms into the first pass while they are pixelwise maps, skipped for this split, or the
 * first placement (pad): pixelwise maps run on the 256 byte values and on the fill value instead of
 * on every pixel, with the same float32 steps, so the result is bit for bit that of applying them in turn.
 */
function planFirstPass(shape: ImageShape, transforms: readonly ResolvedTransform[], split: SplitName): FirstPass {
  let lut: Float32Array = Float32Array.from({ length: 256 }, (_, b) => b / 255);
  let placement: Placement = { shape, top: 0, left: 0, fill: 0 };
  let placed = false;
  let i = 0;
  for (; i < transforms.length; i++) {
    const t = transforms[i];
    const step = inTransform(t, i, (op) => (op.skips?.(t, split) ? 'skip' : op.pixelwise ? 'map' : op.place && !placed ? 'place' : 'stop'));
    if (step === 'stop') break;
    if (step === 'map') {
      lut = mapValues(lut, t, i, split);
      if (placed) placement = { ...placement, fill: mapValues(Float32Array.of(placement.fill), t, i, split)[0] };
    } else if (step === 'place') {
      const p = inTransform(t, i, (op) => op.place!(t, shape));
      placement = { ...p, fill: Math.fround(p.fill) };
      placed = true;
    }
  }
  return { lut, placement, rest: transforms.slice(i) };
}

/**
 * Builds the float images of one split from raw IDX bytes ([N, H, W, C] of the source file):
 * the samples at `indices`, as x = byte / 255 followed by `transforms`. Equal to gathering the
 * samples and calling applyTransforms, but the common pad + normalize touches each output value once.
 */
export function materialize(
  bytes: Uint8Array,
  indices: readonly number[],
  shape: ImageShape,
  transforms: readonly ResolvedTransform[],
  split: SplitName,
): ImageBatch {
  const { lut, placement, rest } = planFirstPass(shape, transforms, split);
  const [c, h, w] = shape;
  const [, outH, outW] = placement.shape;
  const { top, left, fill } = placement;
  const rowIn = w * c;
  const imageIn = h * rowIn;
  const rowOut = outW * c;
  const imageOut = outH * rowOut;
  const count = indices.length;
  const out = new Float32Array(count * imageOut); // [N, outH, outW, C]
  const zeroFill = Object.is(fill, 0); // not -0, which the fresh array does not hold
  for (let n = 0; n < count; n++) {
    const base = indices[n] * imageIn;
    const image = n * imageOut;
    // one sequential sweep over the output: margins get the fill (already there when it is 0), source rows go through the table
    let d = image;
    for (let y = 0; y < h; y++) {
      const rowStart = image + (top + y) * rowOut + left * c;
      if (zeroFill) d = rowStart;
      else while (d < rowStart) out[d++] = fill;
      let s = base + y * rowIn;
      const end = s + rowIn;
      while (s < end) out[d++] = lut[bytes[s++]];
    }
    const imageEnd = image + imageOut;
    if (!zeroFill) while (d < imageEnd) out[d++] = fill;
  }
  const batch: ImageBatch = { data: out, count, shape: placement.shape };
  return applyTransforms(batch, transforms, split, transforms.length - rest.length);
}
