import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeModel, matchWidths, MlpError, mlpLayers, mlpParams, withinTolerance } from './index';

/** The count by hand: a dense layer from a to b units has a*b weights and b biases. */
function byHand(inputSize: number, hidden: number[], outputs = 10): number {
  const widths = [inputSize, ...hidden, outputs];
  return widths.slice(1).reduce((n, b, i) => n + (widths[i] + 1) * b, 0);
}

const LENET5_32 = 61_706; // LeNet-5 on [1, 32, 32] with a full C3 (describe.test.ts)
const LENET5_28 = 44_426; // the 28x28 layout with C5 as a dense layer

test('LeNet-5 (61,706) on [1, 32, 32]: depths 1, 2, 3 each within 1%, exact widths and counts', () => {
  const expected: [number, number[], number][] = [
    [1, [60], 1025 * 60 + 61 * 10], // 62,110: +0.65%
    [2, [57, 48], 1025 * 57 + 58 * 48 + 49 * 10], // 61,699: -0.01%
    [3, [54, 54, 52], 1025 * 54 + 55 * 54 + 55 * 52 + 53 * 10], // 61,710: +0.01%
  ];
  for (const [depth, hidden, count] of expected) {
    const m = matchWidths([1, 32, 32], depth, LENET5_32);
    assert.deepEqual(m, { hidden, paramCount: count }, `depth ${depth}`);
    assert.equal(count, byHand(1024, hidden));
    assert.ok(withinTolerance(count, LENET5_32));
    const { layers, paramCount } = mlpLayers([1, 32, 32], { depth }, LENET5_32);
    assert.equal(paramCount, count);
    assert.equal(describeModel({ input: [1, 32, 32], layers }).paramCount, count, 'describeModel agrees');
  }
  assert.deepEqual(
    [1, 2, 3].map((d) => matchWidths([1, 32, 32], d, LENET5_32).paramCount),
    [62_110, 61_699, 61_710],
  );
});

test('the 28x28 LeNet-5 (44,426): depths 1, 2, 3 each within 1%', () => {
  const expected: [number, number[], number][] = [
    [1, [56], 44_530],
    [2, [52, 57], 44_421],
    [3, [50, 50, 43], 44_433],
  ];
  for (const [depth, hidden, count] of expected) {
    assert.deepEqual(matchWidths([1, 28, 28], depth, LENET5_28), { hidden, paramCount: count }, `depth ${depth}`);
    assert.equal(byHand(784, hidden), count);
    assert.ok(withinTolerance(count, LENET5_28));
  }
});

test('the search is exact: no last width does better for the equal widths it starts from', () => {
  for (const target of [1_000, 12_345, LENET5_28, LENET5_32, 266_610]) {
    for (const depth of [1, 2, 3]) {
      const { hidden, paramCount } = matchWidths([784], depth, target);
      assert.equal(paramCount, mlpParams([784], hidden));
      const prefix = hidden.slice(0, -1);
      for (let v = 1; v < 2 * hidden[hidden.length - 1] + 10; v++) {
        assert.ok(Math.abs(mlpParams([784], [...prefix, v]) - target) >= Math.abs(paramCount - target), `target ${target}, depth ${depth}, last width ${v}`);
      }
    }
  }
});

test('mlpLayers from widths: flatten, H1.., dropout after each hidden layer, OUTPUT without activation', () => {
  const { layers, hidden, paramCount } = mlpLayers([1, 28, 28], { hidden: [300, 100], activation: 'tanh', dropout: 0.5 });
  assert.deepEqual(layers, [
    { type: 'flatten' },
    { id: 'H1', type: 'dense', units: 300, activation: 'tanh' },
    { type: 'dropout', rate: 0.5 },
    { id: 'H2', type: 'dense', units: 100, activation: 'tanh' },
    { type: 'dropout', rate: 0.5 },
    { id: 'OUTPUT', type: 'dense', units: 10 },
  ]);
  assert.deepEqual(hidden, [300, 100]);
  assert.equal(paramCount, 266_610); // LeCun et al.'s 300-100 MLP on 28x28
  assert.equal(describeModel({ input: [1, 28, 28], layers }).paramCount, 266_610);
  const s = describeModel({ input: [1, 28, 28], layers });
  assert.deepEqual(s.layers.map((l) => l.id), ['flatten1', 'H1', 'dropout1', 'H2', 'dropout2', 'OUTPUT']);
});

test('mlpLayers defaults: relu, 10 outputs; a vector input needs no flatten; hidden [] is a linear model', () => {
  assert.deepEqual(mlpLayers([64], { hidden: [32] }).layers, [
    { id: 'H1', type: 'dense', units: 32, activation: 'relu' },
    { id: 'OUTPUT', type: 'dense', units: 10 },
  ]);
  const linear = mlpLayers([1, 8, 8], { hidden: [], outputs: 3 });
  assert.deepEqual(linear.layers, [{ type: 'flatten' }, { id: 'OUTPUT', type: 'dense', units: 3 }]);
  assert.equal(linear.paramCount, 65 * 3);
});

test('a depth that cannot get within 1% says how close it got and which depths can', () => {
  // [1, 8, 8] -> 10 has 650 parameters; one hidden layer moves in steps of 64 + 1 + 10 = 75.
  assert.throws(
    () => mlpLayers([1, 8, 8], { depth: 1 }, 650),
    (e: unknown) =>
      e instanceof MlpError &&
      e.message === 'depth 1 gets no closer to the 650 parameters than 685 (hidden [9], +5.38%): not within 1%; depths 2 to 7 do',
  );
  assert.deepEqual(mlpLayers([1, 8, 8], { depth: 2 }, 650).hidden, [7, 10]);
});

test('hidden widths with a target are checked, with the widths that would match', () => {
  assert.equal(mlpLayers([1, 32, 32], { hidden: [57, 48] }, LENET5_32).paramCount, 61_699);
  assert.throws(
    () => mlpLayers([1, 32, 32], { hidden: [300, 100] }, LENET5_32, 'LeNet-5'),
    /^MlpError: hidden \[300, 100\] gives 338,610 parameters, \+448\.75% from LeNet-5's 61,706: more than 1%; hidden \[57, 48\] gives 61,699 \(-0\.01%\)$/,
  );
});

test('mlpLayers refuses hidden with depth, depth without a target, and neither', () => {
  assert.throws(() => mlpLayers([4], { hidden: [2], depth: 1 }, 100), /give hidden .* or depth .*, not both/);
  assert.throws(() => mlpLayers([4], { depth: 1 }), /depth needs a parameter count to match/);
  assert.throws(() => mlpLayers([4], {}), /needs hidden/);
});
