import { test } from 'node:test';
import { assertCoversLayerTypes } from '../pipeline-schema/testing';
import { LAYER_EMITTERS } from './src/export';

// Typed to be complete; this also catches an entry filled through a cast.
test('every layer type the schema allows has its ONNX emitter', () => assertCoversLayerTypes(LAYER_EMITTERS, 'function'));
