/**
 * The bench's augmentation line: what `training.augment` adds to a LeNet-5 step. Each thread of a step augments
 * its own slice of the batch while the others augment theirs, so the augmentation on a step's path is that of
 * one slice: timed alone, in repeats alternating with the step's (tfjs holds one model at a time, so a step with
 * augmentation cannot alternate with one without).
 */
import seedrandom from 'seedrandom';
import { size as shapeSize, type ModelSpec } from '../../libs/graph';
import { withDefaults, type ResolvedTraining } from '../../libs/pipeline-schema';
import { makeAugment, makeTrainStep } from '../../libs/train';
import { median } from './median';

/** Every kind on, at the settings of pipelines/fashion-augment.yaml's `every` variant: the most it costs. */
const EVERY = { flip: 'horizontal', rotate: 10, shift: 2, noise: 0.1 } as const;
/** The bound: augmentation may cost at most this fraction of a LeNet-5 step. */
const BOUND = 0.1;

export interface AugmentBenchOptions {
  name: string;
  spec: ModelSpec;
  training: ResolvedTraining;
  backend: string;
  threads: number[];
  steps: number;
  repeats: number;
  warmupMs: number;
}

/** Prints, for each thread count, augmentation's time per step as a fraction of the step's. */
export function benchAugment(o: AugmentBenchOptions): void {
  const batch = o.training['batch-size'];
  const size = shapeSize(o.spec.input);
  const rng = seedrandom('bench:augment');
  const original = Float32Array.from({ length: batch * size }, () => rng() * 2 - 1);
  const labels = Int32Array.from({ length: batch }, () => Math.floor(rng() * 10));
  const images = new Float32Array(original.length);
  const augment = makeAugment((withDefaults('Training', { augment: EVERY }) as ResolvedTraining).augment!, o.spec.input, o.training.seed)!;
  const settings = Object.entries(EVERY).map(([k, v]) => `${k} ${v}`).join(', ');
  for (const threads of o.threads) {
    const stepper = makeTrainStep(o.spec, o.training, 10, threads);
    const slice = Math.ceil(batch / stepper.threads);
    let step = 0;
    const run = () => stepper.run(original, labels, step++);
    // As a step does: on a fresh copy of the batch's rows, augmented in place.
    const augmentSlice = () => {
      images.set(original);
      augment(images.subarray(0, slice * size), 0, slice, step++);
    };
    const msPerCall = (f: () => void) => {
      const start = performance.now();
      for (let i = 0; i < o.steps; i++) f();
      return (performance.now() - start) / o.steps;
    };
    const warm = performance.now();
    while (performance.now() - warm < o.warmupMs) {
      run();
      augmentSlice();
    }
    const stepMs: number[] = [];
    const sliceMs: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      stepMs.push(msPerCall(run));
      sliceMs.push(msPerCall(augmentSlice));
    }
    stepper.dispose();
    // The median of the per-repeat ratios: each pair ran back to back.
    const fraction = median(sliceMs.map((ms, r) => ms / stepMs[r]));
    const verdict = fraction <= BOUND ? `within the ${BOUND * 100}% bound` : `OVER the ${BOUND * 100}% bound`;
    const plural = stepper.threads > 1 ? 's' : '';
    console.log(
      `augment ${o.name} ${o.backend} ${stepper.threads} thread${plural} ${(100 * fraction).toFixed(1)}% of a step (${settings}: ${median(sliceMs).toFixed(2)} ms per slice of ${slice} images, a step ${median(stepMs).toFixed(1)} ms; ${verdict})`,
    );
  }
}
