import { describeModel, MlpError, mlpLayers, type ModelSpec } from '../../graph';
import type { Model } from '../../pipeline-schema';
import type { Problem } from './errors';

/** The model an MLP's parameter count was matched to (`mlp.match-params`), and that model's count. */
export interface Matched {
  model: string;
  params: number;
}

/** A problem with its key path in the run's configuration; the loader turns the path into a file position. */
export interface ModelProblem {
  path: Problem['path'];
  message: string;
}

const MATCH_PATH = ['model', 'mlp', 'match-params'];

/** Checks of a model's form the schema leaves to code (so that each gets its own message): `layers` or `mlp`, and an mlp's keys. */
export function modelFormProblems(model: Model): ModelProblem[] {
  const { layers, mlp } = model;
  if (layers !== undefined && mlp !== undefined) {
    return [{ path: ['model', 'layers'], message: 'a model has either layers or mlp (which generates them), not both: drop one' }];
  }
  if (layers === undefined && mlp === undefined) {
    return [{ path: ['model'], message: 'needs layers, or mlp to generate them' }];
  }
  if (!mlp) return [];
  if (mlp.hidden !== undefined && mlp.depth !== undefined) {
    return [{ path: ['model', 'mlp', 'depth'], message: 'give hidden (the widths) or depth (for match-params to choose them), not both' }];
  }
  if (mlp.depth !== undefined && mlp['match-params'] === undefined) {
    return [{ path: ['model', 'mlp', 'depth'], message: "depth needs match-params (the name of the model whose parameter count the widths match); or give the widths as hidden" }];
  }
  if (mlp.hidden === undefined && mlp.depth === undefined) {
    const where = mlp['match-params'] !== undefined ? MATCH_PATH : ['model', 'mlp'];
    return [{ path: where, message: 'needs hidden (the widths), or depth (the number of hidden layers) for match-params to choose the widths' }];
  }
  return [];
}

/** What resolving one configuration's model gave: the match (if its MLP matched another model) and its problems. */
export interface MlpResolution {
  matched?: Matched;
  problems: ModelProblem[];
}

type Outcome = { params: number; matched?: Matched } | { failure: string; cycle: boolean };

/**
 * Gives every MLP of these configurations its layers (`model.layers`, next to the `mlp` block, which is kept
 * for the record): from `mlp.hidden`, or from `mlp.depth` with widths matched to the parameter count of the
 * model named by `mlp.match-params`, looked up among all the configurations by `model.name` (an unnamed model
 * goes by `defaultName`, the pipeline's). Models are changed in place; one result per configuration, in order.
 * A model whose form is wrong (modelFormProblems) is left alone, reported by the caller.
 */
export function resolveMlps(configs: { model: Model }[], defaultName: string): MlpResolution[] {
  const nameOf = (m: Model) => m.name ?? defaultName;
  const byName = new Map<string, Model[]>();
  for (const { model } of configs) byName.set(nameOf(model), [...(byName.get(nameOf(model)) ?? []), model]);
  const known = (): string => [...byName.keys()].map((n) => `'${n}'`).join(', ');
  const done = new Map<Model, Outcome>();

  /** The model's parameter count, resolving it first if it is an MLP; `chain`: the MLPs whose matching led here. */
  const count = (model: Model, chain: string[]): Outcome => {
    const memo = done.get(model);
    if (memo) return memo;
    let out: Outcome;
    if (modelFormProblems(model).length) out = { failure: 'its model section is not valid', cycle: false };
    else if (!model.mlp) {
      try {
        out = { params: describeModel(model as ModelSpec).paramCount };
      } catch {
        out = { failure: 'its layers do not fit together', cycle: false };
      }
    } else out = resolve(model, chain);
    // A cycle is seen differently from each of its members: each gets its own message.
    if (!('failure' in out && out.cycle)) done.set(model, out);
    return out;
  };

  const resolve = (model: Model, chain: string[]): Outcome => {
    const mlp = model.mlp!;
    const target = mlp['match-params'];
    try {
      if (target === undefined) {
        const { layers, paramCount } = mlpLayers(model.input, mlp);
        model.layers = layers as Model['layers'];
        return { params: paramCount };
      }
      const path = [...chain, nameOf(model)];
      if (target === nameOf(model)) return { failure: `'${target}' is this model's own name: name the model to match, or rename this one`, cycle: true };
      if (path.includes(target)) {
        const cycle = [...path.slice(path.indexOf(target)), target].map((n) => `'${n}'`).join(' -> ');
        return { failure: `the models match each other's parameter counts in a cycle (${cycle}): give one of them fixed layers or hidden widths`, cycle: true };
      }
      const candidates = byName.get(target);
      if (!candidates) return { failure: `no model in this pipeline is named '${target}' (the names are ${known()})`, cycle: false };
      const outcomes = candidates.map((c) => count(c, path));
      const failedAt = outcomes.findIndex((o) => 'failure' in o);
      if (failedAt >= 0) {
        const failed = outcomes[failedAt] as Extract<Outcome, { failure: string }>;
        if (failed.cycle) return failed;
        const why = candidates[failedAt].mlp && !modelFormProblems(candidates[failedAt]).length ? 'its own mlp fails' : failed.failure;
        return { failure: `'${target}' has no parameter count to match: ${why} (see that problem)`, cycle: false };
      }
      const counts = [...new Set(outcomes.map((o) => (o as { params: number }).params))].sort((a, b) => a - b);
      if (counts.length > 1) {
        return { failure: `the models named '${target}' have different parameter counts (${counts.map(thousands).join(', ')}): give them different names`, cycle: false };
      }
      const { layers, paramCount } = mlpLayers(model.input, mlp, counts[0], target);
      model.layers = layers as Model['layers'];
      return { params: paramCount, matched: { model: target, params: counts[0] } };
    } catch (e) {
      if (!(e instanceof MlpError)) throw e;
      return { failure: e.message, cycle: false };
    }
  };

  return configs.map(({ model }) => {
    if (!model.mlp || modelFormProblems(model).length) return { problems: [] };
    const out = count(model, []);
    if ('failure' in out) return { problems: [{ path: model.mlp['match-params'] !== undefined ? MATCH_PATH : ['model', 'mlp'], message: out.failure }] };
    return { matched: out.matched, problems: [] };
  });
}

const thousands = (n: number): string => n.toLocaleString('en-US');
