import seedrandom from 'seedrandom';
import { DataError } from './errors';

export interface TrainSplitOptions {
  /** Fraction of the drawn samples held out for validation, in [0, 1). */
  validation: number;
  /** `split-seed`: seeds the shuffle. */
  seed: number;
  /** `limit.train`: samples drawn from the shuffled file before the split. */
  limit?: number;
}

/**
 * Indices into the training file: a seeded Fisher-Yates shuffle of 0..n-1, cut to `limit`, whose
 * last round(m * validation) entries are the validation split. Both keep the shuffled order.
 */
export function splitTrainValidation(n: number, options: TrainSplitOptions): { train: number[]; validation: number[] } {
  const { validation, seed, limit } = options;
  if (!(validation >= 0 && validation < 1)) throw new DataError(`dataset.validation must be in [0, 1) (got ${validation})`);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new DataError(`dataset.limit.train must be a positive integer (got ${limit})`);
  }
  if (limit !== undefined && limit > n) {
    throw new DataError(`dataset.limit.train is ${limit} but the training file holds only ${n} samples`);
  }
  const order = shuffledIndices(n, seed);
  const drawn = limit === undefined ? order : order.slice(0, limit);
  const m = drawn.length;
  const held = Math.round(m * validation);
  if (m - held < 1) {
    throw new DataError(`dataset.validation ${validation} of ${m} samples leaves no training samples`);
  }
  return { train: drawn.slice(0, m - held), validation: drawn.slice(m - held) };
}

/** The first `limit` samples of the test file, in file order (all of them without a limit). */
export function testIndices(n: number, limit?: number): number[] {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    throw new DataError(`dataset.limit.test must be a positive integer (got ${limit})`);
  }
  if (limit !== undefined && limit > n) {
    throw new DataError(`dataset.limit.test is ${limit} but the test file holds only ${n} samples`);
  }
  return Array.from({ length: limit ?? n }, (_, i) => i);
}

export function shuffledIndices(n: number, seed: number): number[] {
  return Array.from(shuffled(n, seedrandom(String(seed))));
}

/** 0..count-1 in an order drawn from `rng` (Fisher-Yates from the end): the split's order and each epoch's. */
export function shuffled(count: number, rng: () => number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
