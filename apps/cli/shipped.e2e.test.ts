/**
 * Every pipeline shipped in pipelines/, through Nx, in the quick profile (`--configuration=quick`: a
 * thousand images and one epoch): the files as users run them, with every run exported, evaluated and reported.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Metrics, RunInfo } from '../../libs/artifacts';
import { loadPipeline } from '../../libs/spec';
import { copyWorkspace, nx, repo } from './workspace';

const names = readdirSync(join(repo, 'pipelines'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => basename(f, '.yaml'))
  .sort();

let root: string;
let dir: string;
let output = '';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'trainyard-shipped-'));
  dir = copyWorkspace(join(root, 'ws'), { pipelines: true });
  const r = nx(dir, ['run-many', '-p', 'pipeline', '-t', names.join(','), '--configuration=quick', '--parallel=2', '--output-style=static']);
  output = r.output;
  assert.equal(r.status, 0, output.slice(-4000));
});

after(() => rmSync(root, { recursive: true, force: true }));

test('the shipped pipelines are the ones README reports', () => {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  for (const name of names) assert.ok(readme.includes(`pipelines/${name}.yaml`), `README does not mention pipelines/${name}.yaml`);
});

for (const name of names) {
  test(`${name}: every run trained, exported, evaluated within parity, and reported as a quick run`, () => {
    const pipeline = loadPipeline(join(repo, 'pipelines', `${name}.yaml`));
    const many = pipeline.runs.length > 1;
    const a = join(dir, 'artifacts', name);
    for (const run of pipeline.runs) {
      const suffix = many ? `-${run.id}` : '';
      const info = JSON.parse(readFileSync(join(a, `train${suffix}`, 'run.json'), 'utf8')) as RunInfo;
      assert.equal(info.epochsRun, 1, `${name} ${run.id}: the quick profile's single epoch`);
      if (run.matched) assert.deepEqual(info.matched, run.matched);
      if (many) assert.deepEqual([info.label, info.values], [run.label, run.values], `${name} ${run.id}: run.json names the run`);
      assert.ok(existsSync(join(a, `export${suffix}`, 'model.onnx')));
      const metrics = JSON.parse(readFileSync(join(a, `evaluate${suffix}`, 'metrics.json'), 'utf8')) as Metrics;
      assert.equal(metrics.samples, 300);
      assert.ok(metrics.parity.ok, `${name} ${run.id}: parity ${JSON.stringify(metrics.parity)}`);
    }
    const report = readFileSync(join(a, 'charts', 'report.md'), 'utf8');
    assert.match(report, /^> Quick run: profile `quick` .* Run it without `--configuration=quick` for those\.$/m);
    if (many) for (const run of pipeline.runs) assert.ok(report.includes(run.label), `${name}: report lacks run ${run.label}`);
    for (const kind of pipeline.config.charts.include) {
      assert.ok(readdirSync(join(a, 'charts')).some((f) => f.startsWith(kind) && f.endsWith('.svg')), `${name}: no ${kind} chart`);
    }
  });
}
