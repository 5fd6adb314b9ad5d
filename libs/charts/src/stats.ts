export interface MeanStd {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); undefined for fewer than 2 values. */
  std?: number;
}

/**
 * Mean and sample standard deviation: seeds are a sample of the seeds one could have run, so
 * n − 1 (Bessel's correction) rather than n. A NaN (a diverged run) makes both NaN, so it shows.
 */
export function meanStd(values: number[]): MeanStd {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { n, mean };
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { n, mean, std: Math.sqrt(squares / (n - 1)) };
}
