/**
 * Nx in a terminal, as a new user first meets it: a fresh copy of the workspace, a pseudo-terminal
 * (util-linux's `script`), no CI variables.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { copyWorkspace, repo } from './testing';

const hasScript = spawnSync('script', ['--version']).status === 0;

test('the first nx command in a terminal asks nothing and leaves every tracked file as it was', { skip: hasScript ? false : 'needs util-linux script for a pseudo-terminal' }, () => {
  const dir = copyWorkspace(mkdtempSync(join(tmpdir(), 'trainyard-terminal-')), { pipelines: true });
  try {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fresh'], { cwd: dir });
    const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', TERM: 'xterm' };
    for (const name of ['CI', 'GITHUB_ACTIONS', 'BUILD_NUMBER', 'RUN_ID']) delete env[name];
    // Nothing types into the terminal: a prompt would wait until the timeout kills it.
    const r = spawnSync('script', ['-qec', `${join(repo, 'node_modules', '.bin', 'nx')} show projects`, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000, input: '' });
    const output = stripVTControlCharacters(`${r.stdout}${r.stderr}`);
    assert.equal(r.status, 0, output);
    assert.doesNotMatch(output, /usage data|analytics/i);
    assert.match(output, /lenet-l2\.train/);
    assert.equal(execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: dir, encoding: 'utf8' }), '', 'no tracked file changed');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'nx.json'), 'utf8')), JSON.parse(readFileSync(join(repo, 'nx.json'), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
