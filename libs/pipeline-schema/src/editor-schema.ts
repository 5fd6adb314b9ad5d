/**
 * The schemas editors load (yaml-language-server, through the `$schema` line of each file), derived from
 * schema.json, which the CLI validates merged files against. An editor sees one file at a time, so:
 *
 * - a file that `extends` others, or a part under pipelines/shared/, is checked as a part: a mapping may
 *   lack keys another file gives (`required` dropped where files merge key by key), while a list item
 *   (a layer, a transform) must be whole, since lists replace;
 * - a layer, transform or schedule is checked against the one type its `type` names (if/then on `type`),
 *   not against every type at once, so an editor names the real problem ("rate must be < 1", not "must
 *   have required property 'filters'"). Ajv's `discriminator`, which the CLI uses, is not standard JSON Schema.
 */

type Schema = { [key: string]: unknown };

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);
const refName = (ref: string) => ref.replace('#/definitions/', '');
const partialName = (name: string) => `Partial${name}`;

/** A oneOf chosen by a `discriminator` property as if/then branches on that property's value. */
function byType(node: Schema, definitions: Record<string, Schema>): Schema {
  const { discriminator, oneOf, ...rest } = node as Schema & { discriminator?: { propertyName: string }; oneOf?: Schema[] };
  if (!discriminator || !oneOf) return node;
  const key = discriminator.propertyName;
  const branches = oneOf.map((branch) => {
    const target = definitions[refName(branch.$ref as string)];
    const property = (target.properties as Record<string, Schema>)[key];
    // A branch names its value(s) with const or enum (avgpool and maxpool share one).
    const values = (property.enum as unknown[] | undefined) ?? [property.const];
    return { values, branch };
  });
  const all = branches.flatMap((b) => b.values);
  return {
    ...rest,
    properties: { [key]: { enum: all, description: `one of: ${all.join(', ')}` } },
    allOf: branches.map(({ values, branch }) => ({ if: { properties: { [key]: { enum: values } }, required: [key] }, then: branch })),
  };
}

/**
 * `node` as a part of a file that merges with others: no `required` in mappings, and the same for what
 * they hold, except inside lists. Definitions met on the way get a partial twin in `partials`.
 */
function partial(node: unknown, definitions: Record<string, Schema>, partials: Record<string, Schema>): unknown {
  if (!isSchema(node)) return node;
  if (typeof node.$ref === 'string') {
    const name = refName(node.$ref);
    if (!(partialName(name) in partials)) {
      partials[partialName(name)] = {}; // taken before recursing: definitions may refer to themselves
      partials[partialName(name)] = partial(definitions[name], definitions, partials) as Schema;
    }
    return { ...node, $ref: `#/definitions/${partialName(name)}` };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' || key === 'minProperties') continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, partial(v, definitions, partials)]));
    else if (key === 'allOf') out.allOf = (value as Schema[]).map((b) => ({ ...b, then: partial(b.then, definitions, partials) }));
    // Lists replace, never merge: their items stay whole. Values of free-form mappings (variants, matrix) too.
    else out[key] = value;
  }
  return out;
}

/** The editor schemas: `pipeline` for pipelines/*.yaml, `part` for pipelines/shared/*.yaml. */
export function editorSchemas(schema: Schema): { pipeline: Schema; part: Schema } {
  const source = schema.definitions as Record<string, Schema>;
  const definitions = Object.fromEntries(Object.entries(source).map(([name, def]) => [name, byType(def, source)]));
  const { $schema, $id, definitions: _, title, description, ...root } = schema;
  const partials: Record<string, Schema> = {};
  const partialRoot = partial(root, definitions, partials) as Schema;
  // A variant's sections merge over the base: parts of those sections.
  const overrides = definitions.Overrides;
  definitions.Overrides = {
    ...overrides,
    properties: Object.fromEntries(
      Object.entries(overrides.properties as Record<string, Schema>).map(([k, v]) => [k, (root.properties as Record<string, Schema>)[k] ? partial((root.properties as Record<string, Schema>)[k], definitions, partials) : v]),
    ),
  };
  const all = { Pipeline: root, PartialPipeline: partialRoot, ...definitions, ...partials };
  const header = (what: string) => ({ $schema, title, description: `${description} ${what} Generated from schema.json by \`npm run generate\`.` });
  return {
    pipeline: {
      ...header('For a pipeline file: checked whole, or as a part when it extends others.'),
      if: { required: ['extends'] },
      then: { $ref: '#/definitions/PartialPipeline' },
      else: { $ref: '#/definitions/Pipeline' },
      definitions: all,
    },
    part: { ...header('For a part that pipelines extend (pipelines/shared/).'), $ref: '#/definitions/PartialPipeline', definitions: all },
  };
}
