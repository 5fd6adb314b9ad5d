import Ajv from 'ajv';
import schema from '../model-card.schema.json';
import type { ModelCard } from './model-card';

// The schema's BatchShape is a one-item tuple with more items after it: strict mode's tuple rule would object.
const validate = new Ajv({ allErrors: true, strictTuples: false }).compile<ModelCard>(schema);

/** Throws, naming each field, when `card` does not match libs/artifacts/model-card.schema.json: no stage writes a card a consumer cannot trust. */
export function checkModelCard(card: unknown): asserts card is ModelCard {
  if (validate(card)) return;
  const where = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
  throw new Error(`model.json does not match libs/artifacts/model-card.schema.json: ${where} (were the data stage's outputs written by an older version? run the pipeline again)`);
}
