/** What the schema allows, for tests that check each registry in the libs has one entry per choice. */
import { strict as assert } from 'node:assert';
import schema from './schema.json';

type Definition = { oneOf?: { $ref: string }[]; properties?: Record<string, { const?: string; enum?: string[] }> };
const definitions = schema.definitions as unknown as Record<string, Definition>;

/** Every layer `type` the schema allows. */
export const SCHEMA_LAYER_TYPES: string[] = definitions.Layer.oneOf!.flatMap(({ $ref }) => {
  const type = definitions[$ref.replace('#/definitions/', '')].properties!.type;
  return type.enum ?? [type.const!];
});

/** Every dataset `source` the schema allows. */
export const SCHEMA_SOURCES: string[] = definitions.Dataset.properties!.source.enum!;

/** Every chart kind `charts.include` allows. */
export const SCHEMA_CHART_KINDS: string[] = (schema.definitions.Charts.properties.include.items as { enum: string[] }).enum;

/** Fails unless `registry` (keyed by layer type) has one entry of `kind` for each layer type the schema allows. */
export function assertCoversLayerTypes(registry: object, kind: 'object' | 'function'): void {
  const types = [...SCHEMA_LAYER_TYPES].sort();
  assert.ok(types.length >= 9, types.join());
  assert.deepEqual(Object.keys(registry).sort(), types);
  for (const type of types) assert.equal(typeof (registry as Record<string, unknown>)[type], kind, type);
}
