/** Number and value formats of the report. Non-finite values (a diverged run) are written out, never hidden. */

/** A cell with nothing to show. */
export const NONE = '—';

/** A setting's value as a cell: strings bare, anything else as JSON, nothing as NONE. */
export const settingValue = (v: unknown): string => (v === undefined ? NONE : typeof v === 'string' ? v : JSON.stringify(v));

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  return undefined;
}

/** A fraction in [0, 1] as a percentage with 2 decimals: 0.98765 -> "98.77%". */
export function percent(fraction: number): string {
  return nonFinite(fraction) ?? `${(fraction * 100).toFixed(2)}%`;
}

/** A relative difference with its sign and 2 decimals: 0.0042 -> "+0.42%", -0.0001 -> "-0.01%". */
export function signedPercent(fraction: number): string {
  return nonFinite(fraction) ?? `${fraction < 0 ? '-' : '+'}${Math.abs(fraction * 100).toFixed(2)}%`;
}

/** Cross-entropy with 4 decimals: 0.071234 -> "0.0712". */
export function loss(x: number): string {
  return nonFinite(x) ?? x.toFixed(4);
}

/** Tiny differences in scientific notation: 3.2e-6 -> "3.20e-6". */
export function scientific(x: number): string {
  return nonFinite(x) ?? x.toExponential(2).replace('e+', 'e');
}

/** 61706 -> "61,706": en-US, which every Node build carries (small-icu included), so every machine writes the same report. */
export function integer(n: number): string {
  const s = nonFinite(n);
  if (s !== undefined) return s;
  return Math.round(n).toLocaleString('en-US');
}

/** 41.03 -> "41.0 s", 192 -> "3 min 12 s", 3725 -> "1 h 02 min". */
export function duration(seconds: number): string {
  const s = nonFinite(seconds);
  if (s !== undefined) return s;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * Mean ± standard deviation, both in `unit`'s format with the same decimals: "98.74% ± 0.11" (percentage
 * points), "0.0432 ± 0.0012". Just the mean when there is no standard deviation (a single run).
 */
export function plusMinus(m: { mean: number; std?: number }, unit: 'percent' | 'loss'): string {
  const mean = unit === 'percent' ? percent(m.mean) : loss(m.mean);
  if (m.std === undefined) return mean;
  const std = nonFinite(m.std) ?? (unit === 'percent' ? (m.std * 100).toFixed(2) : m.std.toFixed(4));
  return `${mean} ± ${std}`;
}

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A dataset's transforms as the pipeline file gives them (defaults filled in), in order, as words:
 * `pad to 32 · normalize mean 0.1307 std 0.3081 · noise std 0.2 on train (seed 1)`. A type this does not know
 * is written as its type and its keys' values; no transforms is "none".
 */
export function transforms(list: readonly unknown[]): string {
  if (list.length === 0) return 'none';
  return list.map((t) => transform(t as { type?: unknown } & Record<string, unknown>)).join(' · ');
}

function transform(t: { type?: unknown } & Record<string, unknown>): string {
  const { type, ...rest } = t;
  if (type === 'pad' && typeof rest.to === 'number') return `pad to ${rest.to}${rest.value ? ` with ${settingValue(rest.value)}` : ''}`;
  if (type === 'normalize') return `normalize mean ${settingValue(rest.mean)} std ${settingValue(rest.std)}`;
  if (type === 'noise' && Array.isArray(rest.splits)) {
    return `noise std ${settingValue(rest.std)} on ${rest.splits.join(' and ')}${rest.seed !== undefined ? ` (seed ${settingValue(rest.seed)})` : ''}`;
  }
  return [String(type), ...Object.entries(rest).map(([k, v]) => `${k} ${settingValue(v)}`)].join(' ');
}
