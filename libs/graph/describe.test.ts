import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { batchnormOptions, describeModel, GraphError, subsampleWindow, type ModelSpec } from './index';

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
    (e: unknown) => e instanceof GraphError && /^layer fc: dense needs a vector input.*add a flatten/.test(e.message),
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

/** LeNet-5 as published (LeCun et al. 1998): trainable subsampling, C3's partial table, scaled tanh. */
const lenet1998: ModelSpec = {
  input: [1, 32, 32],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 5, activation: 'scaled-tanh' }, // [6, 28, 28]
    { id: 'S2', type: 'subsample', size: 2, activation: 'scaled-tanh' }, // [6, 14, 14]
    { id: 'C3', type: 'conv', filters: 16, kernel: 5, connections: 'lecun1998', activation: 'scaled-tanh' }, // [16, 10, 10]
    { id: 'S4', type: 'subsample', size: 2, activation: 'scaled-tanh' }, // [16, 5, 5]
    { id: 'C5', type: 'conv', filters: 120, kernel: 5, activation: 'scaled-tanh' }, // [120, 1, 1]
    { type: 'flatten' }, // [120]
    { id: 'F6', type: 'dense', units: 84, activation: 'scaled-tanh' },
    { id: 'OUT', type: 'dense', units: 10 },
  ],
};

test('LeNet-5 1998 (subsample S2/S4, C3 connections lecun1998) has 60,850 parameters, layer by layer as the paper', () => {
  const s = describeModel(lenet1998);
  assert.deepEqual(
    s.layers.map((l) => [l.id, l.paramCount]),
    [['C1', 156], ['S2', 12], ['C3', 1_516], ['S4', 32], ['C5', 48_120], ['flatten1', 0], ['F6', 10_164], ['OUT', 850]],
  );
  assert.equal(s.paramCount, 60_850);
  assert.deepEqual(
    s.layers.map((l) => l.outputShape),
    [[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5], [120, 1, 1], [120], [84], [10]],
  );
  // C3's kernel keeps its dense shape; only the 60 connections x 25 weights count.
  const c3 = s.layers[2].params[0];
  assert.deepEqual(c3.shape, [5, 5, 6, 16]);
  assert.equal(c3.count, 1_500);
});

test('subsample size=2 on [6,28,28]: coefficient (starts at 1/4) and bias per map, named <id>/coefficient and <id>/bias', () => {
  const [s2] = describeModel({ input: [6, 28, 28], layers: [{ id: 'S2', type: 'subsample' }] }).layers;
  assert.deepEqual(s2.outputShape, [6, 14, 14]);
  assert.deepEqual(
    s2.params.map((p) => [p.name, p.role, p.shape, p.initial, p.trainable, p.count]),
    [['S2/coefficient', 'coefficient', [6], 0.25, true, 6], ['S2/bias', 'bias', [6], 0, true, 6]],
  );
});

test('subsample size=[3,2] on [2,7,7] drops what does not fill a window: [2,2,3], coefficient starts at 1/6', () => {
  const [l] = describeModel({ input: [2, 7, 7], layers: [{ type: 'subsample', size: [3, 2] }] }).layers;
  assert.deepEqual(l.outputShape, [2, 2, 3]);
  assert.equal(l.params[0].initial, 1 / 6);
});

test('subsample refuses a vector input and a window larger than the input, naming the layer', () => {
  assert.throws(
    () => describeModel({ input: [8], layers: [{ id: 'S2', type: 'subsample' }] }),
    (e: unknown) => e instanceof GraphError && /^layer S2: subsample needs an image input \[C, H, W\], got \[8\]/.test(e.message),
  );
  assert.throws(() => describeModel({ input: [1, 3, 3], layers: [{ type: 'subsample', size: 4 }] }), /layer 0 \(subsample1\): window 4x4 does not fit the 3x3 input/);
});

test('batchnorm after conv [6,28,28] and after dense [84]: 2*C trainable (gamma, beta), moving stats stored but not counted', () => {
  const s = describeModel({
    input: [1, 32, 32],
    layers: [
      { id: 'C1', type: 'conv', filters: 6, kernel: 5 },
      { id: 'BN1', type: 'batchnorm' },
      { type: 'flatten' },
      { id: 'F6', type: 'dense', units: 84 },
      { id: 'BN2', type: 'batchnorm', momentum: 0.99, epsilon: 1e-3 },
      { id: 'OUT', type: 'dense', units: 10 },
    ],
  });
  const [, bn1, , , bn2] = s.layers;
  assert.deepEqual(bn1.outputShape, [6, 28, 28]);
  assert.deepEqual(bn2.outputShape, [84]);
  assert.equal(bn1.paramCount, 12);
  assert.equal(bn2.paramCount, 168);
  assert.deepEqual(
    bn1.params.map((p) => [p.name, p.shape, p.initial, p.trainable, p.count]),
    [
      ['BN1/gamma', [6], 1, true, 6],
      ['BN1/beta', [6], 0, true, 6],
      ['BN1/moving_mean', [6], 0, false, 0],
      ['BN1/moving_variance', [6], 1, false, 0],
    ],
  );
  assert.equal(s.paramCount, 156 + 12 + 4704 * 84 + 84 + 168 + 850);
});

test('batchnorm options default from the schema: momentum 0.9, epsilon 1e-5; subsample size 2', () => {
  assert.deepEqual(batchnormOptions({ type: 'batchnorm' }), { momentum: 0.9, epsilon: 1e-5 });
  assert.deepEqual(batchnormOptions({ type: 'batchnorm', momentum: 0.5, epsilon: 0.1 }), { momentum: 0.5, epsilon: 0.1 });
  assert.deepEqual(subsampleWindow({ type: 'subsample' }), [2, 2]);
});

test('batchnorm on a [H, W] input is refused, naming the layer', () => {
  assert.throws(
    () => describeModel({ input: [4, 4], layers: [{ id: 'bn', type: 'batchnorm' }] }),
    (e: unknown) => e instanceof GraphError && /^layer bn: batchnorm needs feature maps \[C, H, W\].*got \[4, 4\]/.test(e.message),
  );
});
