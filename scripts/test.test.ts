import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..');
// Without NODE_TEST_CONTEXT: the runner this test runs under sets it, and its children would report to it.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
const npmTest = (...args: string[]) => spawnSync(process.execPath, ['scripts/test.mjs', ...args], { cwd: root, encoding: 'utf8', env });
const count = (out: string, what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(out)?.[1]);

test('npm test -- <part of a path> runs those files; --name runs the tests whose name matches', () => {
  const file = npmTest('libs/charts/src/stats');
  assert.equal(file.status, 0, file.stdout);
  const all = count(file.stdout, 'pass');
  assert.ok(all >= 2, file.stdout);
  const named = npmTest('libs/charts/src/stats', '--name', 'sample std');
  assert.equal(named.status, 0, named.stdout);
  assert.ok(count(named.stdout, 'pass') >= 1 && count(named.stdout, 'pass') < all, named.stdout);
  assert.equal(npmTest('no-such-test-file').status, 1);
});
