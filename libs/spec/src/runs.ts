/**
 * A pipeline's runs: its `variants` × `matrix` × `seeds`, each a full config. Run ids are positions
 * (`m2`, `s0`), not values, so editing one value of a sweep re-runs only the runs it touches: an id
 * made of values would rename the Nx targets, and Nx re-hashes every task of a project whose targets
 * change.
 */
export interface RunSpec {
  /** `default` for a pipeline with one run; else e.g. `dropout-m1-s0`. */
  id: string;
  /** What distinguishes the run, for charts and reports: `dropout, learning-rate=0.01, seed=2` (matrix keys by their shortest distinct suffix). */
  label: string;
  /** The run's label without its seed: runs of one group differ only by seed (mean ± std). */
  group: string;
  /** Where each overridden key came from in the file, for error positions. */
  sources: { path: (string | number)[]; from: (string | number)[] }[];
  /** Matrix keys that name a list item the config does not have. */
  missing: string[];
  config: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Keys of a mapping that are alternatives to each other: a layer (a variant, an extending file, the
 * overrides) that sets one of them drops the others from what it is merged over, so that a variant's
 * `model: { mlp: ... }` replaces the base's `layers`, and an `mlp`'s `depth` its `hidden`.
 */
const ALTERNATIVES: { path: string[]; keys: string[] }[] = [
  { path: ['model'], keys: ['layers', 'mlp'] },
  { path: ['model', 'mlp'], keys: ['hidden', 'depth'] },
];

/** Objects merge key by key (but see ALTERNATIVES); arrays and scalars replace. `path`: where `base` sits in the document. */
export function deepMerge(base: unknown, over: unknown, path: string[] = []): unknown {
  if (!isObject(base) || !isObject(over)) return structuredClone(over);
  const out: Json = { ...structuredClone(base) };
  const alternatives = ALTERNATIVES.find((a) => a.path.length === path.length && a.path.every((k, i) => k === path[i]))?.keys ?? [];
  const chosen = alternatives.filter((k) => k in over);
  if (chosen.length === 1) for (const k of alternatives) if (k !== chosen[0]) delete out[k];
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v, [...path, k]) : structuredClone(v);
  return out;
}

/** Sets a dotted path; a numeric key indexes a list (`dataset.transforms.2.std`), which must already hold that item. */
function setPath(target: Json, path: string[], value: unknown): boolean {
  let node: Json | unknown[] = target;
  for (const key of path.slice(0, -1)) {
    const next: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    if (isObject(next) || Array.isArray(next)) node = next;
    else if (Array.isArray(node)) return false;
    else node = node[key] = {};
  }
  const last = path[path.length - 1];
  if (!Array.isArray(node)) node[last] = structuredClone(value);
  else if (/^\d+$/.test(last) && Number(last) < node.length) node[Number(last)] = structuredClone(value);
  else return false;
  return true;
}

export function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (!isObject(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `last` (the overrides from the environment) is merged over every run after its variant, matrix values and seed. */
/**
 * Each matrix key by its shortest dotted suffix no other key ends with, for labels that fit a chart:
 * `training.learning-rate` reads `learning-rate`, `dataset.transforms.1.std` reads `std`.
 */
export function shortKeys(keys: string[]): string[] {
  return keys.map((key) => {
    const parts = key.split('.');
    for (let n = 1; n < parts.length; n++) {
      const suffix = parts.slice(-n).join('.');
      if (!keys.some((other) => other !== key && (other === suffix || other.endsWith(`.${suffix}`)))) return suffix;
    }
    return key;
  });
}

export function expandRuns(document: Json, last?: Json): RunSpec[] {
  const { variants, matrix, seeds, ...base } = document as Json & { variants?: Json; matrix?: Record<string, unknown[]>; seeds?: number[] };
  const variantList: [string | undefined, Json][] = variants ? Object.entries(variants).map(([k, v]) => [k, (v ?? {}) as Json]) : [[undefined, {}]];
  const keys = Object.keys(matrix ?? {});
  const short = shortKeys(keys);
  let combos: unknown[][] = [[]];
  for (const key of keys) combos = combos.flatMap((c) => matrix![key].map((v) => [...c, v]));
  const seedList: (number | undefined)[] = seeds ?? [undefined];

  const runs: RunSpec[] = [];
  for (const [variant, overrides] of variantList) {
    combos.forEach((combo, m) => {
      seedList.forEach((seed, s) => {
        let config = deepMerge(base, overrides) as Json;
        const sources = leafPaths(overrides).filter((p) => p.length).map((p) => ({ path: p, from: ['variants', variant!, ...p] }));
        const missing: string[] = [];
        keys.forEach((key, k) => {
          const path = key.split('.');
          if (!setPath(config, path, combo[k])) missing.push(key);
          // List indices as numbers, as error paths have them.
          sources.push({ path: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), from: ['matrix', key, matrix![key].indexOf(combo[k])] });
        });
        if (seed !== undefined) {
          config = deepMerge(config, { training: { seed } }) as Json;
          sources.push({ path: ['training', 'seed'], from: ['seeds', s] });
        }
        if (last) {
          config = deepMerge(config, last) as Json;
          // The document holds these too, at the same paths: there they point at their source.
          sources.push(...leafPaths(last).map((p) => ({ path: p, from: p })));
        }
        const idParts = [variant, keys.length ? `m${m}` : undefined, seeds ? `s${s}` : undefined].filter((p): p is string => p !== undefined);
        const groupParts = [variant, ...short.map((key, k) => `${key}=${show(combo[k])}`)].filter((p): p is string => p !== undefined);
        const labelParts = [...groupParts, ...(seed !== undefined ? [`seed=${seed}`] : [])];
        runs.push({
          id: idParts.length ? idParts.join('-') : 'default',
          label: labelParts.join(', ') || 'default',
          group: groupParts.join(', ') || 'default',
          sources,
          missing,
          config,
        });
      });
    });
  }
  return runs;
}
