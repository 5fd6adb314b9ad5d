/**
 * The bench's replay section: how long Nx takes to replay fully cached pipelines, against Nx's own floor
 * (a workspace whose one project has one cached target), measured side by side in throwaway workspaces
 * as CI runs Nx (no daemon).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyWorkspace, nx as runNx, repo } from '../cli/testing';
import { median } from './median';

/** The reduced size every stage of the replayed pipelines trains on: the replay does not depend on it. */
const REDUCED = '{dataset: {limit: {train: 256, test: 64}}, training: {epochs: 1}}';

/** 3 learning rates x 3 batch sizes x 3 seeds = 27 runs of a small MLP. */
const SWEEP = `description: 27 runs, to time a replay
dataset:
  source: mnist
model:
  input: [1, 28, 28]
  mlp: { hidden: [32] }
training:
  epochs: 1
matrix:
  training.learning-rate: [0.01, 0.003, 0.001]
  training.batch-size: [32, 64, 128]
seeds: [1, 2, 3]
charts:
  include: [test-accuracy]
`;

/** Seconds one Nx command takes, run as CI runs Nx. */
function nx(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = performance.now();
  const r = runNx(cwd, args, env);
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} failed in ${cwd}:\n${r.output}`.slice(-4000));
  return (performance.now() - start) / 1000;
}

/** Median seconds of `repeats` runs after one that fills the cache. */
function replay(cwd: string, args: string[], repeats: number, env: NodeJS.ProcessEnv = {}): number {
  nx(cwd, args, env);
  return median(Array.from({ length: repeats }, () => nx(cwd, args, env)));
}

export function benchReplay(repeats: number): void {
  const root = mkdtempSync(join(tmpdir(), 'trainyard-bench-replay-'));
  try {
    const floor = join(root, 'floor');
    mkdirSync(join(floor, 'hello'), { recursive: true });
    writeFileSync(join(floor, 'package.json'), '{ "name": "floor", "private": true }\n');
    writeFileSync(join(floor, 'nx.json'), '{ "cacheDirectory": ".nx/cache" }\n');
    writeFileSync(join(floor, 'hello', 'project.json'), JSON.stringify({ name: 'hello', targets: { hello: { command: 'echo hello', cache: true } } }));
    symlinkSync(join(repo, 'node_modules'), join(floor, 'node_modules'), 'dir');
    const workspace = copyWorkspace(join(root, 'workspace'), { pipelines: true });
    writeFileSync(join(workspace, 'pipelines', 'replay-27.yaml'), SWEEP);

    console.log('# replay: fully cached runs through Nx (no daemon), median of the repeats after one that fills the cache; the first fill trains 27 small runs');
    const nxFloor = replay(floor, ['run', 'hello:hello'], repeats);
    const reduced = { TRAINYARD_OVERRIDES: REDUCED };
    const single = replay(workspace, ['run', 'pipeline:lenet-l2'], repeats, reduced);
    const sweep = replay(workspace, ['run', 'pipeline:replay-27', '--parallel=2'], repeats, reduced);
    const floorShow = median(Array.from({ length: repeats }, () => nx(floor, ['show', 'projects'])));
    const show = median(Array.from({ length: repeats }, () => nx(workspace, ['show', 'projects'])));
    const line = (what: string, s: number, ref: number) => console.log(`replay ${what} ${s.toFixed(2)} s (Nx floor ${ref.toFixed(2)} s, ratio ${(s / ref).toFixed(2)})`);
    line('lenet-l2 (1 run)', single, nxFloor);
    line('sweep (27 runs)', sweep, nxFloor);
    line('nx-show-projects (shipped pipelines)', show, floorShow);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
