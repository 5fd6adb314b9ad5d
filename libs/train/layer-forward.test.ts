import { test } from 'node:test';
import { assertCoversLayerTypes } from '../pipeline-schema/testing';
import { LAYER_FORWARD } from './src/layers/forward';

// Typed to be complete; this also catches an entry filled through a cast.
test('every layer type the schema allows has its TensorFlow.js forward', () => assertCoversLayerTypes(LAYER_FORWARD, 'function'));
