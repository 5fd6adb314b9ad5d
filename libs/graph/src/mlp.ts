import { layerDefaults } from '../../pipeline-schema';
import { size } from './describe';
import type { Layer, Mlp, Shape } from './types';

/** How close a matched MLP's parameter count must come to its target: |count - target| <= 1% of the target. */
export const MATCH_TOLERANCE = 0.01;

/** Depths tried when a depth cannot match, to suggest the ones that can. */
const SUGGESTED_DEPTHS = 8;

/** An MLP that cannot be built as asked: the message says why and what would work. */
export class MlpError extends Error {
  readonly code = 'TY_MLP';
  constructor(message: string) {
    super(message);
    this.name = 'MlpError';
  }
}

/** An MLP expanded: its layers, its hidden widths and its parameter count. */
export interface MlpExpansion {
  layers: Layer[];
  hidden: number[];
  paramCount: number;
}

/**
 * Parameters of an MLP with these hidden widths on an input of this shape: for each dense layer between
 * widths a and b, a*b weights and b biases. Equals describeModel's count for the layers mlpLayers builds.
 */
export function mlpParams(input: Shape, hidden: number[], outputs: number = layerDefaults.mlp.outputs): number {
  const widths = [size(input), ...hidden, outputs];
  let n = 0;
  for (let i = 1; i < widths.length; i++) n += (widths[i - 1] + 1) * widths[i];
  return n;
}

/** |count - target| <= 1% of target, in integers. */
export function withinTolerance(count: number, target: number): boolean {
  return Math.abs(count - target) * Math.round(1 / MATCH_TOLERANCE) <= target;
}

/**
 * Hidden widths for `depth` layers whose parameter count comes closest to `target`: equal widths w (the
 * largest whose count does not pass the target, and the next one), then the last layer's width adjusted,
 * whose cost per unit is small (w + 1 + outputs) and so gets fine resolution. Of those, the one closest to
 * the target; ties go to the more even widths, then to the smaller count. Exact (integers) and
 * deterministic. Not necessarily within 1%: see mlpLayers.
 */
export function matchWidths(input: Shape, depth: number, target: number, outputs: number = layerDefaults.mlp.outputs): { hidden: number[]; paramCount: number } {
  if (!Number.isInteger(depth) || depth < 1) throw new MlpError(`depth must be a positive integer (got ${depth})`);
  const equal = (w: number) => mlpParams(input, new Array<number>(depth).fill(w), outputs);
  // Largest w with equal(w) <= target (equal is increasing in w), or 1 when even w = 1 passes it.
  let lo = 1;
  let hi = Math.max(1, target);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (equal(mid) <= target) lo = mid;
    else hi = mid - 1;
  }
  let best: { hidden: number[]; paramCount: number; uneven: number } | undefined;
  for (const w of [lo, lo + 1]) {
    const prefix = new Array<number>(depth - 1).fill(w);
    // The count is linear in the last width v: fixed + v * slope.
    const prev = depth > 1 ? w : size(input);
    const fixed = mlpParams(input, [...prefix, 0], outputs);
    const slope = prev + 1 + outputs;
    const v0 = Math.max(1, Math.floor((target - fixed) / slope));
    for (const v of [v0, v0 + 1]) {
      const hidden = [...prefix, v];
      const paramCount = fixed + v * slope;
      const uneven = depth > 1 ? Math.abs(v - w) : 0;
      const d = Math.abs(paramCount - target);
      const bestD = best ? Math.abs(best.paramCount - target) : Infinity;
      if (!best || d < bestD || (d === bestD && (uneven < best.uneven || (uneven === best.uneven && paramCount < best.paramCount)))) {
        best = { hidden, paramCount, uneven };
      }
    }
  }
  return { hidden: best!.hidden, paramCount: best!.paramCount };
}

/**
 * The layers of an MLP: flatten (for an input of more than one dimension), per hidden width a dense layer
 * H1, H2, ... with the activation (and a dropout after it when `dropout` is set), then a dense OUTPUT
 * without activation (the logits).
 *
 * Widths: `mlp.hidden` as given, or for `mlp.depth` the ones matchWidths chooses for `targetParams`. With a
 * target, the count must be within 1% of it (MATCH_TOLERANCE), else MlpError says how close it got and which
 * depths would do; `targetName` (the matched model's) is for that message.
 */
export function mlpLayers(input: Shape, mlp: Mlp, targetParams?: number, targetName?: string): MlpExpansion {
  const outputs = mlp.outputs ?? layerDefaults.mlp.outputs;
  const activation = mlp.activation ?? layerDefaults.mlp.activation;
  const goal = (t: number) => (targetName ? `${targetName}'s ${thousands(t)}` : `the ${thousands(t)}`);
  let hidden: number[];
  if (mlp.hidden !== undefined) {
    if (mlp.depth !== undefined) throw new MlpError('give hidden (the widths) or depth (for match-params to choose them), not both');
    hidden = mlp.hidden;
    if (targetParams !== undefined) {
      const count = mlpParams(input, hidden, outputs);
      if (!withinTolerance(count, targetParams)) {
        const hint = hidden.length > 0 ? matchWidths(input, hidden.length, targetParams, outputs) : undefined;
        const suggestion = hint && withinTolerance(hint.paramCount, targetParams) ? `; hidden [${hint.hidden.join(', ')}] gives ${thousands(hint.paramCount)} (${signedPercent(hint.paramCount, targetParams)})` : '';
        throw new MlpError(`hidden [${hidden.join(', ')}] gives ${thousands(count)} parameters, ${signedPercent(count, targetParams)} from ${goal(targetParams)}: more than 1%${suggestion}`);
      }
    }
  } else if (mlp.depth !== undefined) {
    if (targetParams === undefined) throw new MlpError('depth needs a parameter count to match (match-params); or give the widths as hidden');
    const match = matchWidths(input, mlp.depth, targetParams, outputs);
    if (!withinTolerance(match.paramCount, targetParams)) {
      const fitting = [];
      for (let d = 1; d <= Math.max(SUGGESTED_DEPTHS, mlp.depth + 1); d++) {
        if (d !== mlp.depth && withinTolerance(matchWidths(input, d, targetParams, outputs).paramCount, targetParams)) fitting.push(d);
      }
      const suggestion = fitting.length ? `; ${depths(fitting)} ${fitting.length > 1 ? 'do' : 'does'}` : `; no depth up to ${Math.max(SUGGESTED_DEPTHS, mlp.depth + 1)} does: give hidden widths`;
      throw new MlpError(
        `depth ${mlp.depth} gets no closer to ${goal(targetParams)} parameters than ${thousands(match.paramCount)} (hidden [${match.hidden.join(', ')}], ${signedPercent(match.paramCount, targetParams)}): not within 1%${suggestion}`,
      );
    }
    hidden = match.hidden;
  } else {
    throw new MlpError('needs hidden (the widths), or depth and match-params (to choose them)');
  }

  const layers: Layer[] = [];
  if (input.length > 1) layers.push({ type: 'flatten' });
  hidden.forEach((units, i) => {
    layers.push({ id: `H${i + 1}`, type: 'dense', units, activation });
    if (mlp.dropout) layers.push({ type: 'dropout', rate: mlp.dropout });
  });
  layers.push({ id: 'OUTPUT', type: 'dense', units: outputs });
  return { layers, hidden: [...hidden], paramCount: mlpParams(input, hidden, outputs) };
}

/** (count - target) / target as a signed percentage with 2 decimals: "+0.65%", "-0.01%", "+0.00%". */
export function signedPercent(count: number, target: number): string {
  const pct = ((count - target) / target) * 100;
  return `${pct < 0 ? '-' : '+'}${Math.abs(pct).toFixed(2)}%`;
}

/** "depth 2", "depths 2 and 4", "depths 2 to 7", "depths 1, 3 to 8". */
function depths(list: number[]): string {
  if (list.length === 1) return `depth ${list[0]}`;
  const runs: number[][] = [];
  for (const d of list) {
    const last = runs[runs.length - 1];
    if (last && d === last[last.length - 1] + 1) last.push(d);
    else runs.push([d]);
  }
  const parts = runs.flatMap((r) => (r.length > 2 ? [`${r[0]} to ${r[r.length - 1]}`] : r.map(String)));
  return `depths ${parts.length === 2 ? parts.join(' and ') : parts.join(', ')}`;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
