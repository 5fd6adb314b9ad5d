import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel, GraphError, type ModelSpec } from './index';

const lenet5: ModelSpec = {
  input: [1, 32, 32],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 5, activation: 'tanh' },
    { id: 'S2', type: 'avgpool', size: 2 },
    { id: 'C3', type: 'conv', filters: 16, kernel: 5, activation: 'tanh' },
    { id: 'S4', type: 'avgpool', size: 2 },
    { id: 'C5', type: 'conv', filters: 120, kernel: 5, activation: 'tanh' },
    { type: 'flatten' },
    { id: 'F6', type: 'dense', units: 84, activation: 'tanh' },
    { id: 'OUT', type: 'dense', units: 10 },
  ],
};

test('LeNet-5 on 32x32 with a full C3 has 61,706 parameters', () => {
  const s = describeModel(lenet5);
  assert.equal(s.paramCount, 61_706);
  assert.deepEqual(
    s.layers.map((l) => l.outputShape),
    [[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5], [120, 1, 1], [120], [84], [10]],
  );
});

test('LeNet-5 on 28x28 with C5 as dense (the 004 layout) has 44,426 parameters', () => {
  const s = describeModel({
    input: [1, 28, 28],
    layers: [
      { type: 'conv', filters: 6, kernel: 5, activation: 'relu' },
      { type: 'maxpool' },
      { type: 'conv', filters: 16, kernel: 5, activation: 'relu' },
      { type: 'maxpool' },
      { type: 'flatten' },
      { type: 'dense', units: 120, activation: 'relu' },
      { type: 'dense', units: 84, activation: 'relu' },
      { type: 'dense', units: 10 },
    ],
  });
  assert.equal(s.paramCount, 44_426);
  assert.deepEqual(s.layers.map((l) => l.id).slice(0, 4), ['conv1', 'maxpool1', 'conv2', 'maxpool2']);
});

test('conv stride=2 padding=same on 7x7 gives 4x4; bias=false drops the bias', () => {
  const s = describeModel({ input: [3, 7, 7], layers: [{ type: 'conv', filters: 2, kernel: 3, stride: 2, padding: 'same', bias: false }] });
  assert.deepEqual(s.output, [2, 4, 4]);
  assert.equal(s.paramCount, 3 * 3 * 3 * 2);
});

test('dense after a conv without flatten names the layer and the fix', () => {
  assert.throws(
    () => describeModel({ input: [1, 8, 8], layers: [{ type: 'conv', filters: 2, kernel: 3 }, { id: 'fc', type: 'dense', units: 4 }] }),
    (e: unknown) => e instanceof GraphError && /layer 1 \(fc\): dense needs a vector input.*add a flatten/.test(e.message),
  );
});

test('a kernel larger than its input is refused', () => {
  assert.throws(() => describeModel({ input: [1, 4, 4], layers: [{ type: 'conv', filters: 1, kernel: 5 }] }), /does not fit the 4x4 input/);
});

test('duplicate ids are refused', () => {
  assert.throws(
    () => describeModel({ input: [4], layers: [{ id: 'a', type: 'dense', units: 2 }, { id: 'a', type: 'dense', units: 2 }] }),
    /id 'a' is used twice/,
  );
});
