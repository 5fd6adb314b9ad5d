import { PipelineError } from './errors';
import { leafPaths } from './runs';

type Json = Record<string, unknown>;

/**
 * Named reductions of any pipeline: `--profile <name>` on the CLI, `--configuration=<name>` in Nx. `quick`
 * is what the tests run every shipped pipeline with: a check that it works end to end, in seconds.
 */
export const PROFILES: Record<string, Json> = {
  quick: { dataset: { limit: { train: 1000, test: 300 } }, training: { epochs: 1 }, evaluate: { 'probe-size': 8 } },
};

/**
 * The profile's values, less those the matrix sweeps, so its runs still differ as their labels say.
 * Like TRAINYARD_OVERRIDES they are merged over every run last, variants included: quick means quick.
 */
export function profileValues(name: string, document: Json): Json {
  const profile = PROFILES[name];
  if (!profile) throw new PipelineError([{ file: '--profile', line: 0, column: 0, path: [], message: `no profile '${name}' (there is ${Object.keys(PROFILES).join(', ')})` }]);
  const swept = Object.keys((document.matrix ?? {}) as Json).map((k) => k.split('.'));
  const overlaps = (a: string[], b: string[]) => a.slice(0, Math.min(a.length, b.length)).every((k, i) => k === b[i]);
  const kept = structuredClone(profile);
  for (const path of leafPaths(profile).map((p) => p.map(String))) {
    if (!swept.some((s) => overlaps(s, path))) continue;
    let node = kept as Json;
    for (const key of path.slice(0, -1)) node = node[key] as Json;
    delete node[path.at(-1)!];
  }
  return pruneEmpty(kept);
}

function pruneEmpty(value: Json): Json {
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      pruneEmpty(v as Json);
      if (Object.keys(v).length === 0) delete value[k];
    }
  }
  return value;
}
