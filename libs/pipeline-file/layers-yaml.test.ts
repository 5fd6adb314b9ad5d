import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parsePipeline, PipelineError } from './index';
import { describeModel } from '../graph';

/** LeNet-5 as published, plus a batchnorm after C1 and after F6, as a pipeline file. */
const lenet1998 = `
dataset:
  source: mnist
  transforms:
    - { type: pad, to: 32 }
model:
  input: [1, 32, 32]
  layers:
    - { id: C1, type: conv, filters: 6, kernel: 5 }
    - { id: BN1, type: batchnorm }
    - { type: activation, activation: scaled-tanh }
    - { id: S2, type: subsample, activation: scaled-tanh }
    - { id: C3, type: conv, filters: 16, kernel: 5, connections: lecun1998, activation: scaled-tanh }
    - { id: S4, type: subsample, size: 2, activation: sigmoid }
    - { id: C5, type: conv, filters: 120, kernel: 5, activation: scaled-tanh }
    - { type: flatten }
    - { id: F6, type: dense, units: 84, activation: scaled-tanh }
    - { id: BN2, type: batchnorm, momentum: 0.99 }
    - { id: OUT, type: dense, units: 10 }
training:
  epochs: 2
`;

function problems(text: string): string[] {
  try {
    parsePipeline(text, 'pipelines/p.yaml');
  } catch (e) {
    assert.ok(e instanceof PipelineError, `expected PipelineError, got ${String(e)}`);
    return e.message.split('\n');
  }
  assert.fail('expected the file to be refused');
}

test('a LeNet-5 1998 file with batchnorm loads, with the new layers\' defaults filled in', () => {
  const { config } = parsePipeline(lenet1998, 'pipelines/lenet-1998.yaml');
  const layers = config.model.layers;
  assert.deepEqual(layers[1], { id: 'BN1', type: 'batchnorm', momentum: 0.9, epsilon: 1e-5 });
  assert.deepEqual(layers[3], { id: 'S2', type: 'subsample', size: 2, activation: 'scaled-tanh' });
  assert.deepEqual(layers[9], { id: 'BN2', type: 'batchnorm', momentum: 0.99, epsilon: 1e-5 });
  assert.equal(describeModel(config.model).paramCount, 60_850 + 2 * 6 + 2 * 84);
});

test('connections lecun1998 on a layer that is not C3: located at the layer, with the reason', () => {
  assert.deepEqual(problems(lenet1998.replace('kernel: 5 }', 'kernel: 5, connections: lecun1998 }')), [
    "pipelines/p.yaml:9:7 model -> layers -> C1: connections lecun1998 is LeNet-5's C3 table, for 6 input maps and 16 filters (got 1 input maps and 6 filters): write the table as a list instead",
  ]);
});

test('connections of the wrong form, a misspelt activation, a momentum of 1: one located line each', () => {
  const text = lenet1998
    .replace('connections: lecun1998', 'connections: lecun')
    .replace('activation: sigmoid', 'activation: scaled_tanh')
    .replace('momentum: 0.99', 'momentum: 1');
  assert.deepEqual(problems(text), [
    'pipelines/p.yaml:13:66 model -> layers -> C3 -> connections: must be `lecun1998` or a list with one list of input-map indices per filter (got "lecun")',
    'pipelines/p.yaml:14:55 model -> layers -> S4 -> activation: must be one of relu, tanh, sigmoid, scaled-tanh, linear (got "scaled_tanh")',
    'pipelines/p.yaml:18:45 model -> layers -> BN2 -> momentum: must be < 1 (got 1)',
  ]);
});

test('a connection table naming a map that does not exist: located at the layer', () => {
  const text = lenet1998.replace('connections: lecun1998', 'filters: 2, connections: [[0, 1], [5, 6]]').replace('filters: 16, ', '');
  assert.deepEqual(problems(text), [
    'pipelines/p.yaml:13:7 model -> layers -> C3: connections[1] names input map 6, but the input has 6 maps (0 to 5)',
  ]);
});
