import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newer, probeTorch } from './torch-python';

test('versions compare by their numbers, the local part aside: 2.13 is newer than 1.13 and 2.9', () => {
  assert.ok(newer('2.13.0+cpu', '1.13.1'));
  assert.ok(newer('2.13.0', '2.9.1'));
  assert.ok(!newer('1.13.1', '2.13.0+cpu'));
  assert.ok(!newer('2.13.0+cpu', '2.13.0'));
});

test('a Python is probed for its torch and the BLAS torch was built with; one without torch gives nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-torch-'));
  const fake = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const mkl = fake('mkl', `echo '{"version": "2.13.0+cpu", "blas": "mkl"}'`);
  assert.deepEqual(probeTorch(mkl), { python: mkl, version: '2.13.0+cpu', blas: 'mkl' });
  assert.equal(probeTorch(fake('none', 'echo "No module named torch" >&2; exit 1')), undefined);
  assert.equal(probeTorch(join(dir, 'absent')), undefined);
});
