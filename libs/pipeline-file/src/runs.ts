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
  /** What sets the run apart, as its label names it: `{ variant: 'dropout', 'DROP.rate': 0.25, seed: 2 }`. */
  values: Record<string, unknown>;
  /** Where each overridden key came from in the file, for error positions. */
  sources: { path: (string | number)[]; from: (string | number)[] }[];
  /** Dotted keys (of the matrix or a variant) that name a list item the config does not have, and where they are written. */
  missing: { key: string; at: (string | number)[] }[];
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

/**
 * The position in a list of the item a path key names: its index (`8`), its `id` (`DROP`, a layer's), or
 * its `type` when only one item has it (`noise`, a transform's). Undefined when no item matches.
 */
export function itemIndex(list: unknown[], key: string): number | undefined {
  if (/^\d+$/.test(key)) return Number(key) < list.length ? Number(key) : undefined;
  const byId = list.findIndex((item) => isObject(item) && item.id === key);
  if (byId >= 0) return byId;
  const byType = list.flatMap((item, i) => (isObject(item) && item.type === key ? [i] : []));
  return byType.length === 1 ? byType[0] : undefined;
}

/**
 * Sets a dotted path; a key into a list names an item it already holds (see itemIndex:
 * `model.layers.DROP.rate`, `dataset.transforms.noise.std`, `model.layers.8.rate`). Returns the path with
 * list positions as numbers, as error paths have them, or undefined when an item is missing.
 */
function setPath(target: Json, path: string[], value: unknown): (string | number)[] | undefined {
  let node: Json | unknown[] = target;
  const resolved: (string | number)[] = [];
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      const index = itemIndex(node, key);
      if (index === undefined) return undefined;
      resolved.push(index);
      if (last) node[index] = structuredClone(value);
      else if (isObject(node[index]) || Array.isArray(node[index])) node = node[index] as Json | unknown[];
      else return undefined;
    } else {
      resolved.push(key);
      if (last) node[key] = structuredClone(value);
      else node = isObject(node[key]) || Array.isArray(node[key]) ? (node[key] as Json | unknown[]) : (node[key] = {});
    }
  }
  return resolved;
}

/**
 * Matrix keys as a reader names them: through a list, from the item's name (its id, else its type, else
 * `layers[8]`) on: `model.layers.8.rate` reads `DROP.rate`, `dataset.transforms.1.std` reads `noise.std`;
 * elsewhere by the shortest dotted suffix no other key ends with (`training.learning-rate` reads
 * `learning-rate`).
 */
export function readableKeys(keys: string[], document: Json): string[] {
  const named = keys.map((key) => {
    const parts = key.split('.');
    let node: unknown = document;
    let from = -1;
    const shown = [...parts];
    parts.forEach((part, i) => {
      if (Array.isArray(node)) {
        const index = itemIndex(node, part);
        const item = index === undefined ? undefined : node[index];
        const name = isObject(item) ? (typeof item.id === 'string' ? item.id : typeof item.type === 'string' && itemIndex(node, item.type) === index ? item.type : undefined) : undefined;
        shown[i] = name ?? `${parts[i - 1] ?? ''}[${part}]`;
        from = i;
        node = item;
      } else node = isObject(node) ? node[part] : undefined;
    });
    return { parts: shown, from };
  });
  const full = named.map((n) => n.parts.join('.'));
  return shortKeys(full).map((short, i) => {
    const { parts, from } = named[i];
    // Never shorter than from the list item on: `rate` alone would not say which layer.
    return from >= 0 && short.split('.').length < parts.length - from ? parts.slice(from).join('.') : short;
  });
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
  const short = readableKeys(keys, base);
  let combos: unknown[][] = [[]];
  for (const key of keys) combos = combos.flatMap((c) => matrix![key].map((v) => [...c, v]));
  const seedList: (number | undefined)[] = seeds ?? [undefined];

  const runs: RunSpec[] = [];
  for (const [variant, overrides] of variantList) {
    combos.forEach((combo, m) => {
      seedList.forEach((seed, s) => {
        // A variant's sections merge over the base; then its dotted keys set one value each, as matrix keys do.
        const [dotted, sections] = [Object.entries(overrides).filter(([k]) => k.includes('.')), Object.entries(overrides).filter(([k]) => !k.includes('.'))];
        let config = deepMerge(base, Object.fromEntries(sections)) as Json;
        const sources = leafPaths(Object.fromEntries(sections)).filter((p) => p.length).map((p) => ({ path: p, from: ['variants', variant!, ...p] }));
        const missing: RunSpec['missing'] = [];
        for (const [key, value] of dotted) {
          const path = setPath(config, key.split('.'), value);
          if (path) sources.push({ path, from: ['variants', variant!, key] });
          else missing.push({ key, at: ['variants', variant!, key] });
        }
        keys.forEach((key, k) => {
          const path = setPath(config, key.split('.'), combo[k]);
          if (path) sources.push({ path, from: ['matrix', key, matrix![key].indexOf(combo[k])] });
          else missing.push({ key, at: ['matrix', key] });
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
        const values: Record<string, unknown> = {
          ...(variant !== undefined && { variant }),
          ...Object.fromEntries(short.map((key, k) => [key, combo[k]])),
          ...(seed !== undefined && { seed }),
        };
        runs.push({
          id: idParts.length ? idParts.join('-') : 'default',
          values,
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
