import type { ErrorObject } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';

function show(value: unknown): string {
  // As YAML writes them: JSON has no NaN or infinities.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const comparisons: Record<string, string> = {
  minimum: '>=',
  maximum: '<=',
  exclusiveMinimum: '>',
  exclusiveMaximum: '<',
};

/** Names other tools use for our keys, which spelling distance alone would not find. */
const SYNONYMS: Record<string, string> = {
  lr: 'learning-rate',
  wd: 'weight-decay',
  bs: 'batch-size',
  batch: 'batch-size',
  epoch: 'epochs',
  'kernel-size': 'kernel',
  'num-epochs': 'epochs',
};

/** What was expected, in the words a user of the YAML file reads; the key path is printed by the caller. */
export function describeError(e: ErrorObject, value: unknown, root: SchemaRoot): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const synonym = SYNONYMS[key.toLowerCase().replace(/_/g, '-')];
      const hint = synonym && known.includes(synonym) ? synonym : known.length ? closest(key, known) : undefined;
      const close = hint !== undefined && (hint === synonym || similar(key, hint));
      return `unknown key '${key}'${close ? ` (did you mean '${hint}'?)` : known.length ? ` (expected one of: ${known.join(', ')})` : ''}`;
    }
    case 'required':
      return `missing required key '${String(p.missingProperty)}'`;
    case 'type':
      return `must be ${article(String(p.type))} (got ${show(value)})`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${show(value)})`;
    case 'const':
      return `must be ${show(p.allowedValue)} (got ${show(value)})`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${comparisons[e.keyword]} ${String(p.limit)} (got ${show(value)})`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'} (got ${(value as unknown[]).length})`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items (got ${(value as unknown[]).length})`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(p.j)} and ${String(p.i)} are the same)`;
    case 'pattern':
      return `must match ${String(p.pattern)} (got ${show(value)})`;
    case 'discriminator': {
      const options = discriminatorOptions(e.parentSchema, root);
      if (p.error === 'tag') return `needs a 'type' (one of ${options.join(', ')})`;
      return `unknown type ${show(p.tagValue)} (expected one of ${options.join(', ')})`;
    }
    case 'oneOf':
    case 'anyOf': {
      const description = (e.parentSchema as { description?: string })?.description;
      return `must be ${description ? description.replace(/\.$/, '') : 'one of the allowed forms'} (got ${show(value)})`;
    }
    default:
      return `${e.message ?? 'is invalid'} (got ${show(value)})`;
  }
}

function article(type: string): string {
  const word = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function similar(a: string, b: string): boolean {
  // Close enough to be a typo: shares a prefix, or differs in a few characters.
  return a.slice(0, 3) === b.slice(0, 3) || distance(a, b) <= Math.max(2, Math.floor(b.length / 3));
}

/** The `type` values a discriminated oneOf accepts, read from the branches' definitions. */
function discriminatorOptions(schema: unknown, root: SchemaRoot): string[] {
  const branches = (schema as { oneOf?: { $ref?: string }[] })?.oneOf ?? [];
  return branches.flatMap((b) => {
    const name = (b.$ref ?? '').replace('#/definitions/', '');
    const type = root.definitions?.[name]?.properties?.type;
    return type?.const !== undefined ? [String(type.const)] : (type?.enum ?? []).map(String);
  });
}

export interface SchemaRoot {
  definitions?: Record<string, { properties?: Record<string, { const?: unknown; enum?: unknown[] }> }>;
}
