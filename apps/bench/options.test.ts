import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const main = join(__dirname, 'main.ts');
const bench = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8' });

test('a wrong bench option is one line and exit code 2, before anything is measured', () => {
  for (const [args, message] of [
    [['replay'], /^npm run bench: Unexpected argument 'replay'.*; options: --steps, /],
    [['--only', 'replays'], /^npm run bench: --only takes training, augment, threads, inference, replay \(got 'replays'\); options: /],
  ] as const) {
    const r = bench(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
