import type { PreprocessingStep } from './model-card';

/**
 * The files stages hand each other. Every stage reads its inputs from these files only,
 * so each type here is a contract between two libs.
 */

/** `artifacts/<pipeline>/data/manifest.json` */
export interface DataManifest {
  source: string;
  /** Files read, with their sha256, so a changed file on disk is noticed. */
  files: { role: string; path: string; sha256: string }[];
  classes: string[];
  /** Shape of one image after the transforms: [C, H, W]. */
  imageShape: number[];
  splits: Record<'train' | 'validation' | 'test', SplitInfo>;
  /** The transforms as declared (defaults filled in). */
  transforms: unknown[];
  /** Shape of one image as the files store it, before the transforms: [C, H, W]; H and W are null when the files differ in size. */
  sourceShape: (number | null)[];
  /** What a consumer of the model applies to an image's raw pixels, in order: everything but noise. */
  steps: PreprocessingStep[];
  /** The same steps as one line of prose. */
  preprocessing: string;
}


export interface SplitInfo {
  count: number;
  /** Samples per class, in class order. */
  classCounts: number[];
  /** sha256 of the transformed float32 images and the labels, to check that a later stage rebuilt the same data. */
  sha256: string;
}

/** One line of `history.json`. Accuracies are fractions in [0, 1]. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  learningRate: number;
  seconds: number;
  samplesPerSecond: number;
}

/** `artifacts/<pipeline>/train/history.json` */
export interface History {
  epochs: EpochRecord[];
}

export type RunStatus = 'ok' | 'early-stopped' | 'diverged';

/**
 * What was merged over every run of the pipeline as written (a profile's values, then TRAINYARD_OVERRIDES):
 * results made under it are not the figures of the file as written, and every place that shows them says so.
 */
export interface Overrides {
  values: Record<string, unknown>;
  /** The profile (`quick`) the values come from, if any. */
  profile?: string;
}

/**
 * `artifacts/<pipeline>/<stage>/stage.json`: which configuration made the folder. A folder whose lineage is
 * not the one the pipeline plans now holds another configuration's results (an older file, other overrides).
 */
export interface StageRecord {
  pipeline: string;
  stage: string;
  /** The stage's key and those of every stage it read, hashed (the plan lib's stageLineage). */
  lineage: string;
  /** The fingerprints of the image files its lineage covers, by data stage id: present where an image source (folder, csv) is read. */
  files?: Record<string, string>;
  overrides?: Overrides;
}

/** `artifacts/<pipeline>/train/run.json` */
export interface RunInfo {
  pipeline: string;
  run: string;
  /** Set when the run trained with overrides merged over the file: a reduced run. */
  overrides?: Overrides;
  /** In a pipeline of several runs: the run's label and what sets it apart (variant, swept keys, seed). */
  label?: string;
  values?: Record<string, unknown>;
  /** The configuration the run trained with, defaults filled in: its dataset, model and training sections. */
  config?: { dataset: unknown; model: unknown; training: unknown };
  model: string;
  backend: string;
  /** Threads the run trained on: each batch split into one slice per thread (results depend on it). */
  threads: number;
  seed: number;
  paramCount: number;
  /** An MLP matched to another model's parameter count (`mlp.match-params`): that model's name and count. */
  matched?: { model: string; params: number };
  status: RunStatus;
  epochsRun: number;
  /** Why training ended before its last epoch (early stopping, divergence), and which weights were kept. */
  reason?: string;
  /** Early stopping's restore-best: the epoch whose weights were exported, when not the last one run. */
  restoredEpoch?: number;
  seconds: number;
  /** Per layer: id, type, output shape, parameters. */
  layers: { id: string; type: string; output: number[]; params: number }[];
}

/** `artifacts/<pipeline>/train/probe.json`: logits TensorFlow.js computed after training for the first test images. */
export interface ProbeFile {
  /** Indices into the test split. */
  indices: number[];
  /** [probe][classes] */
  logits: number[][];
}

export interface ParityResult {
  probeSize: number;
  tolerance: number;
  maxAbsDiff: number;
  /** The largest difference divided by its row's scale, max(1, largest |logit|): what `tolerance` bounds. */
  maxScaledDiff: number;
  /** Where the largest difference is: probe row and class. */
  at: [number, number];
  argmaxAgree: boolean;
  ok: boolean;
}

/** `artifacts/<pipeline>/evaluate/metrics.json` */
export interface Metrics {
  runtime: string;
  samples: number;
  accuracy: number;
  /** Mean cross-entropy of softmax(logits) against the labels. */
  loss: number;
  classes: string[];
  /** confusion[true][predicted] */
  confusion: number[][];
  perClass: { class: string; precision: number; recall: number; support: number }[];
  /** The first test images the model got wrong, in test order (at most MISCLASSIFIED_KEPT): their pixels are in misclassified.json. */
  misclassified?: Misclassified[];
  parity: ParityResult;
}

/** A test image the model got wrong: its index in the test split, true and predicted class, and the softmax probability of the prediction. */
export interface Misclassified {
  index: number;
  label: string;
  predicted: string;
  confidence: number;
}

/** `artifacts/<pipeline>/evaluate/misclassified.json`: the misclassified images of metrics.json with their pixels, as the model saw them. */
export interface MisclassifiedFile {
  /** [C, H, W] of each image. */
  imageShape: number[];
  images: (Misclassified & { pixels: number[] })[];
}

/** One run's 2-D map of its test images' penultimate-layer features. */
export interface FeatureMap {
  /** The run's id in the plan (`m0-s0`, or `default` for a pipeline of one run). */
  run: string;
  role: 'best' | 'baseline';
  /** The ONNX tensor mapped (the classifier's input) and its width. */
  tensor: string;
  width: number;
  /** Per test image, the first ones in order: its coordinates, true class and predicted class (indices into `classes`). */
  x: number[];
  y: number[];
  label: number[];
  predicted: number[];
}

/** `artifacts/<pipeline>/features/features.json`: UMAP maps for the best run and the baseline. */
export interface FeaturesFile {
  method: 'umap';
  points: number;
  neighbors: number;
  seed: number;
  classes: string[];
  maps: FeatureMap[];
}
