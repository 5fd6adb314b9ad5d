/**
 * The pipeline file's JSON Schema (schema.json): the TypeScript types generated from it, its defaults,
 * and the schemas editors load. It imports no other lib: every lib that reads a setting starts here.
 */
import { join } from 'node:path';
import schema from './schema.json';

export type * from './src/config';
export { withDefaults, schemaValidator, layerDefaults, scheduleDefaults, datasetFileDefaults, csvColumnDefaults, type ResolvedTraining, type SectionName } from './src/defaults';
export { editorSchemas } from './src/editor-schema';
export { describeError, type SchemaRoot } from './src/messages';

/** schema.json, parsed. */
export const PIPELINE_SCHEMA = schema;
/** The schema the CLI validates merged pipeline files against. */
export const SCHEMA_FILE = join(__dirname, 'schema.json');
/** The schemas editors load through a file's `$schema` line (generated from schema.json). */
export const EDITOR_SCHEMAS = { pipeline: join(__dirname, 'pipeline.schema.json'), part: join(__dirname, 'part.schema.json') };
