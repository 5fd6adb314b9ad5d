import type { ParityResult, ProbeFile } from '../../artifacts';
import { ParityError } from './errors';
import { argmax } from './metrics';

/** A parity result that also counts the probe rows whose argmax agrees, for the failure message. */
export interface ParityReport extends ParityResult {
  argmaxAgreeCount: number;
}

/**
 * Compares ONNX logits [probe][classes] (row-major) with the logits TensorFlow.js wrote to probe.json.
 * Each difference is measured against its row's scale, max(1, largest |logit|): float32 rounding grows with the
 * size of the values, so large logits (a model trained with a high learning rate) get a proportionate allowance.
 * A NaN difference counts as infinitely large, so it can never pass.
 */
export function compareParity(onnxLogits: ArrayLike<number>, probe: ProbeFile, tolerance: number): ParityReport {
  const rows = probe.logits.length;
  let maxAbsDiff = 0;
  let maxScaledDiff = 0;
  let at: [number, number] = [0, 0];
  let argmaxAgreeCount = 0;
  for (let r = 0; r < rows; r++) {
    const expected = probe.logits[r];
    const n = expected.length;
    const scale = Math.max(1, ...expected.map(Math.abs));
    for (let k = 0; k < n; k++) {
      const d = Math.abs(onnxLogits[r * n + k] - expected[k]);
      const diff = Number.isNaN(d) ? Infinity : d;
      if (diff > maxAbsDiff) {
        maxAbsDiff = diff;
        at = [r, k];
      }
      maxScaledDiff = Math.max(maxScaledDiff, Number.isNaN(scale) ? Infinity : diff / scale);
    }
    if (argmax(onnxLogits, r * n, n) === argmax(expected, 0, n)) argmaxAgreeCount++;
  }
  const argmaxAgree = argmaxAgreeCount === rows;
  return { probeSize: rows, tolerance, maxAbsDiff, maxScaledDiff, at, argmaxAgree, argmaxAgreeCount, ok: maxScaledDiff <= tolerance && argmaxAgree };
}

/** Two significant digits, short enough for a log line: 3.2e-3, 1e-4, 0.25, 5, 1.2e5. */
export function short(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  if (Math.abs(x) >= 0.01 && Math.abs(x) < 1e4) return String(Number(x.toPrecision(2)));
  return x.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
}

export function describeParity(result: ParityResult | ParityReport): string {
  const agree =
    'argmaxAgreeCount' in result
      ? `argmax agrees on ${result.argmaxAgreeCount} of ${result.probeSize}`
      : result.argmaxAgree
        ? `argmax agrees on all ${result.probeSize}`
        : `argmax disagrees on some of ${result.probeSize}`;
  const [row, cls] = result.at;
  const scaled = result.maxScaledDiff !== result.maxAbsDiff ? `; ${short(result.maxScaledDiff)} relative to the row's scale` : '';
  return `max |diff| ${short(result.maxAbsDiff)} at probe ${row}, class ${cls}${scaled} (tolerance ${short(result.tolerance)}); ${agree}`;
}

/** Throws ParityError unless the ONNX logits matched TensorFlow.js's within the tolerance, with the same argmax everywhere. */
export function assertParity(result: ParityResult | ParityReport): void {
  if (result.ok) return;
  throw new ParityError(`ONNX logits differ from TensorFlow.js: ${describeParity(result)}`);
}
