import { test } from 'node:test';
import { assertCoversLayerTypes } from '../pipeline-schema/testing';
import { LAYER_RULES } from './src/describe';

// Typed to be complete; this also catches an entry filled through a cast.
test('every layer type the schema allows has its graph rules', () => assertCoversLayerTypes(LAYER_RULES, 'object'));
