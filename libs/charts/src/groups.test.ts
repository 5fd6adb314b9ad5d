import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { syntheticRun } from '../testing';
import { groupRuns, hasRepeats } from './groups';

test('groupRuns groups=2 seeds=2: groups in order of their first run, labelled by group', () => {
  const runs = [
    syntheticRun({ name: 'a, seed=1', group: 'a' }),
    syntheticRun({ name: 'b, seed=1', group: 'b' }),
    syntheticRun({ name: 'a, seed=2', group: 'a' }),
    syntheticRun({ name: 'b, seed=2', group: 'b' }),
  ];
  const groups = groupRuns(runs);
  assert.deepEqual(
    groups.map((g) => [g.label, g.runs.map((r) => r.name)]),
    [
      ['a', ['a, seed=1', 'a, seed=2']],
      ['b', ['b, seed=1', 'b, seed=2']],
    ],
  );
  assert.equal(hasRepeats(groups), true);
});

test('groupRuns without group: each run a group of its own, labelled by its name', () => {
  const { group: _unused, ...noGroup } = syntheticRun({ name: 'x' });
  const groups = groupRuns([noGroup, syntheticRun({ name: 'y' })]);
  assert.deepEqual(
    groups.map((g) => g.label),
    ['x', 'y'],
  );
  assert.equal(hasRepeats(groups), false);
});

test("groupRuns runs=1 group='default': labelled by the run's name", () => {
  assert.deepEqual(
    groupRuns([syntheticRun({ name: 'LeNet-5', group: 'default' })]).map((g) => g.label),
    ['LeNet-5'],
  );
});
