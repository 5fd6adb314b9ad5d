/** `nx affected` narrows to the pipelines a change touches: a fresh copy of the workspace in a git repository of its own. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { copyWorkspace, nx } from './testing';

let dir: string;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' });

before(() => {
  dir = copyWorkspace(mkdtempSync(join(tmpdir(), 'trainyard-affected-')), { pipelines: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'base');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The pipelines whose stage tasks Nx calls affected by the uncommitted change. */
function affected(): string[] {
  const r = nx(dir, ['show', 'projects', '--affected', '--base=HEAD']);
  assert.equal(r.status, 0, r.output);
  const names = r.output.split('\n').map((l) => l.trim()).filter((l) => /^[a-z0-9-]+\.(data|train|export|evaluate|charts)/.test(l));
  return [...new Set(names.map((n) => n.split('.')[0]))].sort();
}

test('editing one pipeline file affects that pipeline only', () => {
  appendFileSync(join(dir, 'pipelines', 'lenet-l2.yaml'), '# a note\n');
  assert.deepEqual(affected(), ['lenet-l2']);
  git('checkout', '-q', '--', '.');
});

test('editing a shared file affects the pipelines that extend it, and no other', () => {
  appendFileSync(join(dir, 'pipelines', 'shared', 'lenet-5-relu.yaml'), '# a note\n');
  assert.deepEqual(affected(), ['fashion-augment', 'lenet-batch-lr-sweep', 'lenet-noise-weight-decay', 'mnist-lenet-vs-mlp']);
  git('checkout', '-q', '--', '.');
});
