/**
 * Tokens of every length the server accepts (16 to 512 characters) work through Nx: for each, a fresh copy of
 * the workspace stores a small pipeline with the write token and another, shown another machine id, replays
 * every stage with the read token.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyWorkspace, nx, SMALL_PIPELINE, stagesRun } from '../cli/testing';
import { acrossMachinesSkip, startCacheServer } from './testing';

const skip = acrossMachinesSkip;

const STAGES = ['charts', 'data', 'evaluate', 'export', 'train'];
const TINY = SMALL_PIPELINE.replace('limit: { train: 3000, test: 500 }', 'limit: { train: 600, test: 200 }').replace(/include: \[.*\]/, 'include: [loss]');

/** As README makes them: `openssl rand -hex 24`, 48 characters. */
function opensslToken(): string {
  const r = spawnSync('openssl', ['rand', '-hex', '24'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl rand -hex 24: ${r.error ?? r.stderr}`);
  return r.stdout.trim();
}

const TOKENS: { length: number; how: string; make: () => string }[] = [
  { length: 16, how: 'base64url', make: () => randomBytes(12).toString('base64url') },
  { length: 48, how: 'openssl rand -hex 24', make: opensslToken },
  { length: 512, how: 'base64', make: () => randomBytes(384).toString('base64') },
];

describe('tokens of every length the server accepts', { skip }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'trainyard-tokens-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  TOKENS.forEach(({ length, how, make }, i) => {
    test(`${length} characters (${how}): the write token stores a pipeline, the read token replays every stage on another machine`, async () => {
      const [write, read] = [make(), make()];
      assert.deepEqual([write.length, read.length], [length, length]);
      const server = await startCacheServer({ TRAINYARD_CACHE_WRITE_TOKEN: write, TRAINYARD_CACHE_READ_TOKEN: read });
      try {
        // Two machines with the same files: the second copy is made from the first before it runs, so edits to
        // this working tree in the meantime cannot give the two copies different cache keys.
        const writer = copyWorkspace(join(root, `${length}-write`), { pipelines: false });
        writeFileSync(join(writer, 'pipelines', 'e2e.yaml'), TINY);
        const reader = join(root, `${length}-read`);
        cpSync(writer, reader, { recursive: true, verbatimSymlinks: true });
        const run = (dir: string, token: string, machine: number) => {
          const env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token };
          const r = nx(dir, ['run', 'pipeline:e2e', '--output-style=static'], env, { machineId: machine.toString(16).padStart(32, 'b') });
          assert.equal(r.status, 0, r.output);
          assert.doesNotMatch(r.output, /remote cache .* skipped/, r.output);
          return { ...stagesRun(r.output, 'e2e'), output: r.output };
        };

        assert.deepEqual(run(writer, write, 2 * i + 1).ran, STAGES);
        const stored = server.entries();
        assert.ok(stored.length >= STAGES.length, `the write token stored the stages: ${stored.length} entries`);

        const replay = run(reader, read, 2 * i + 2);
        assert.deepEqual(replay.ran, []);
        for (const stage of STAGES) assert.match(replay.output, new RegExp(`e2e\\.${stage}:${stage}\\s+\\[remote cache\\]`));
        assert.deepEqual(server.entries(), stored);
      } finally {
        await server.stop();
      }
    });
  });
});
