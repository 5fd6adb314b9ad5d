import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LAYER_EMITTERS } from '../onnx/src/export';
import { SCHEMA_LAYER_TYPES } from '../spec/testing';
import { LAYER_FORWARD } from '../train/src/layers/forward';
import { LAYER_RULES } from './src/describe';

// The registries are typed to be complete; this also catches one filled through a cast.
test('every layer type the schema allows has its graph rules, its TensorFlow.js forward and its ONNX emitter', () => {
  const types = [...SCHEMA_LAYER_TYPES].sort();
  assert.ok(types.length >= 9, types.join());
  for (const [what, registry] of Object.entries({ 'graph rules': LAYER_RULES, 'TensorFlow.js forward': LAYER_FORWARD, 'ONNX emitter': LAYER_EMITTERS })) {
    assert.deepEqual(Object.keys(registry).sort(), types, what);
    for (const type of types) assert.equal(typeof (registry as Record<string, unknown>)[type], what === 'graph rules' ? 'object' : 'function', `${what} of ${type}`);
  }
});
