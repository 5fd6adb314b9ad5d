import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SCHEMA_CHART_KINDS } from '../pipeline-schema/testing';
import { CHARTS } from './src/registry';

// Typed to be complete; this also catches an entry filled through a cast.
test('every chart kind the schema allows has its caption, its test of whether it applies and its spec', () => {
  assert.deepEqual(Object.keys(CHARTS).sort(), [...SCHEMA_CHART_KINDS].sort());
  for (const [kind, chart] of Object.entries(CHARTS)) {
    assert.match(chart.title, /\S/, kind);
    assert.equal(typeof chart.applies, 'function', kind);
    assert.equal(typeof chart.spec, 'function', kind);
  }
});
