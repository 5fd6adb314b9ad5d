import type { PreprocessingStep } from '../../../artifacts';

export type SplitName = 'train' | 'validation' | 'test';

/** Shape of one image, channels-first as everywhere in Trainyard: [C, H, W]. */
export type ImageShape = [number, number, number];

/** The images of one split: `count` images stored NHWC in `data` (for C = 1 the same bytes as NCHW). */
export interface ImageBatch {
  data: Float32Array;
  count: number;
  shape: ImageShape;
}

/** One transform kind; ops throw DataError with a bare message, the dispatcher adds which transform it was. */
export interface TransformOp<T> {
  /** Shape after the transform; throws when the transform cannot apply to `shape`. */
  outputShape(t: T, shape: ImageShape): ImageShape;
  /** May work in place; returns the batch to hand to the next transform. */
  apply(batch: ImageBatch, t: T, split: SplitName): ImageBatch;
  /** The step a consumer of the model repeats (model.json), or undefined when it must not (noise). */
  step(t: T, shape: ImageShape): PreprocessingStep | undefined;
  /**
   * The same function of each value wherever it sits: `apply` may then run on any flat array
   * (the byte lookup table, a fill value), which lets the loader fold it into its first pass.
   */
  readonly pixelwise?: boolean;
  /** For transforms that only move pixels: where the input lands and what fills the rest. */
  place?(t: T, shape: ImageShape): Placement;
  /** True when `apply` would leave this split unchanged (noise on a split it does not list). */
  skips?(t: T, split: SplitName): boolean;
}

/** The input image sits at rows top..top+H-1, columns left..left+W-1 of an output of `shape`; other pixels are `fill`. */
export interface Placement {
  shape: ImageShape;
  top: number;
  left: number;
  fill: number;
}
