import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { shuffledIndices, splitTrainValidation, testIndices } from './split';

function sorted(xs: number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

test('n=100 validation=0.1: 90 train and 10 validation, disjoint, covering every index', () => {
  const { train, validation } = splitTrainValidation(100, { validation: 0.1, seed: 1 });
  assert.equal(train.length, 90);
  assert.equal(validation.length, 10);
  assert.deepEqual(sorted([...train, ...validation]), Array.from({ length: 100 }, (_, i) => i));
});

test('the shuffle for seed 1 and 2 is pinned: splits must not move between versions', () => {
  assert.deepEqual(shuffledIndices(10, 1), [7, 5, 0, 4, 9, 8, 1, 6, 3, 2]);
  assert.deepEqual(shuffledIndices(10, 2), [0, 1, 9, 5, 8, 4, 6, 2, 3, 7]);
  const { train, validation } = splitTrainValidation(10, { validation: 0.2, seed: 1 });
  assert.deepEqual(train, [7, 5, 0, 4, 9, 8, 1, 6]);
  assert.deepEqual(validation, [3, 2]);
});

test('same seed, same split; another seed, another split', () => {
  const a = splitTrainValidation(1000, { validation: 0.1, seed: 7 });
  assert.deepEqual(splitTrainValidation(1000, { validation: 0.1, seed: 7 }), a);
  assert.notDeepEqual(splitTrainValidation(1000, { validation: 0.1, seed: 8 }).validation, a.validation);
});

test('limit=50 validation=0.25 of n=100: the first 50 shuffled indices, the last round(12.5)=13 held out', () => {
  const { train, validation } = splitTrainValidation(100, { validation: 0.25, seed: 3, limit: 50 });
  assert.equal(train.length, 37);
  assert.equal(validation.length, 13);
  assert.deepEqual([...train, ...validation], shuffledIndices(100, 3).slice(0, 50));
});

test('validation=0 holds nothing out', () => {
  const { train, validation } = splitTrainValidation(20, { validation: 0, seed: 1 });
  assert.equal(train.length, 20);
  assert.deepEqual(validation, []);
});

test('a limit above the file size and a split without training samples are refused', () => {
  assert.throws(() => splitTrainValidation(60, { validation: 0.1, seed: 1, limit: 70 }), {
    name: 'DataError',
    message: 'dataset.limit.train is 70 but the training file holds only 60 samples',
  });
  assert.throws(() => splitTrainValidation(1, { validation: 0.5, seed: 1 }), { message: 'dataset.validation 0.5 of 1 samples leaves no training samples' });
  assert.throws(() => splitTrainValidation(10, { validation: 1, seed: 1 }), { message: 'dataset.validation must be in [0, 1) (got 1)' });
});

test('test split: the first limit samples in file order, or all', () => {
  assert.deepEqual(testIndices(10, 3), [0, 1, 2]);
  assert.deepEqual(testIndices(4), [0, 1, 2, 3]);
  assert.throws(() => testIndices(4, 5), { message: 'dataset.limit.test is 5 but the test file holds only 4 samples' });
});
