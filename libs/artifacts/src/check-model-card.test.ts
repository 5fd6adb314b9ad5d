import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelCard } from './model-card';
import { checkModelCard } from './check-model-card';

const card: ModelCard = {
  card: 1,
  pipeline: 'lenet-l2',
  run: 'default',
  fingerprint: 'ebcf08733a8a11bc483b',
  model: { name: 'LeNet-5', parameters: 61706 },
  opset: 13,
  input: { name: 'input', layout: 'NCHW', shape: ['batch', 1, 32, 32], dtype: 'float32' },
  output: { name: 'logits', holds: 'logits', shape: ['batch', 10], dtype: 'float32' },
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  preprocessing: {
    source: { shape: [1, 28, 28], layout: 'HWC', dtype: 'uint8' },
    steps: [{ type: 'scale', divide: 255 }, { type: 'pad', top: 2, bottom: 2, left: 2, right: 2, value: 0 }, { type: 'normalize', mean: 0.1307, std: 0.3081 }],
  },
  metrics: { test: { accuracy: 0.9879, loss: 0.0367, samples: 10000, runtime: 'onnxruntime-node 1.30.0' } },
};

test('a card as the evaluate stage writes it passes', () => {
  checkModelCard(structuredClone(card));
});

test("a card built from an older data manifest (no source shape, no steps) is refused, naming the fields", () => {
  const old = structuredClone(card) as unknown as { preprocessing: Record<string, unknown> };
  old.preprocessing = { source: { layout: 'HWC', dtype: 'uint8' } };
  assert.throws(() => checkModelCard(old), /^Error: model\.json does not match libs\/artifacts\/model-card\.schema\.json: \/preprocessing must have required property 'steps'; \/preprocessing\/source must have required property 'shape'/);
});

test('a batch dimension that is not "batch", or a step of another kind, is refused', () => {
  const fixed = structuredClone(card) as unknown as { input: { shape: unknown[] } };
  fixed.input.shape = [1, 1, 32, 32];
  assert.throws(() => checkModelCard(fixed), /\/input\/shape\/0 must be equal to constant/);
  const blur = structuredClone(card) as unknown as { preprocessing: { steps: unknown[] } };
  blur.preprocessing.steps.push({ type: 'blur', radius: 1 });
  assert.throws(() => checkModelCard(blur), /\/preprocessing\/steps\/3/);
});
