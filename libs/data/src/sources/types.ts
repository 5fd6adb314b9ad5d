import type { ImageShape } from '../transforms/types';

/**
 * One `dataset.source`: what it knows without reading files, and where its IDX files are when
 * `dataset.path` does not say. A new source is one file beside this one, added to the registry in
 * ../sources.ts (keyed by the schema's source names, so the compiler asks for it).
 */
export interface DatasetSource {
  /** Class names in label order; without them a source names its classes 0..N-1 from its labels. */
  classes?: readonly string[];
  /** [C, H, W] of its images, when known before reading them (pipeline files are then checked against it). */
  shape?: ImageShape;
  /** The folder of its files when `dataset.path` is not set, and where that came from; absent when it has none (dataset.path is required). */
  defaultDir?(env: Record<string, string | undefined>, workspace: string): { dir: string; origin: string };
  /** How to get its files, given where the folder came from: appended to every "not found" message. */
  remedy(origin: string, wanted: string): string;
}
