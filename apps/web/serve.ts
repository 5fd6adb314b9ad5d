/**
 * `npm run web`: serves the page in apps/web with every exported model in artifacts/, through sirv (an
 * existing static server), on 127.0.0.1. The site is a temporary folder of links: the page, onnxruntime-web's
 * files from node_modules, each evaluated run's model.onnx and model.json, and the list of them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { ModelCard } from '../../libs/artifacts';

const repo = join(__dirname, '..', '..');

export interface WebModel {
  pipeline: string;
  run: string;
  label: string;
  accuracy: number;
  /** Paths on the site. */
  onnx: string;
  card: string;
}

/** Every evaluated model under `artifacts`: pipelines in name order, each one's runs best test accuracy first. */
export function findModels(artifacts: string): { model: WebModel; dir: string }[] {
  if (!existsSync(artifacts)) return [];
  return readdirSync(artifacts)
    .sort()
    .flatMap((pipeline) => {
      const dir = join(artifacts, pipeline);
      if (!statSync(dir).isDirectory()) return [];
      return readdirSync(dir)
        .filter((stage) => /^evaluate(-|$)/.test(stage) && existsSync(join(dir, stage, 'model.json')) && existsSync(join(dir, stage, 'model.onnx')))
        .map((stage) => {
          const card = JSON.parse(readFileSync(join(dir, stage, 'model.json'), 'utf8')) as ModelCard;
          const base = `models/${pipeline}/${stage}`;
          return { model: { pipeline, run: card.run, label: card.label ?? card.run, accuracy: card.metrics.test.accuracy, onnx: `${base}/model.onnx`, card: `${base}/model.json` }, dir: join(dir, stage) };
        })
        .sort((a, b) => b.model.accuracy - a.model.accuracy);
    });
}

/** The site folder: app/ (the page), ort/ (onnxruntime-web), models/, models.json. */
export function buildSite(artifacts: string): { site: string; models: WebModel[] } {
  const site = mkdtempSync(join(tmpdir(), 'trainyard-web-'));
  symlinkSync(join(repo, 'apps', 'web'), join(site, 'app'), 'dir');
  symlinkSync(join(repo, 'node_modules', 'onnxruntime-web', 'dist'), join(site, 'ort'), 'dir');
  const found = findModels(artifacts);
  for (const { model, dir } of found) {
    const link = join(site, model.onnx, '..');
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dir, link, 'dir');
  }
  const models = found.map((f) => f.model);
  writeFileSync(join(site, 'models.json'), JSON.stringify(models, null, 2) + '\n');
  return { site, models };
}

if (require.main === module) {
  const host = '127.0.0.1';
  const { site, models } = buildSite(join(repo, 'artifacts'));
  console.log(`${models.length} exported model${models.length === 1 ? '' : 's'} from artifacts/${models.length ? '' : ' (none yet: run npx nx run pipeline:lenet-l2 first)'}`);
  // --dev: files are looked up per request, so the links resolve. sirv takes the next free port when
  // this one is taken and says so: its own address line is the one to print.
  const server = spawn(join(repo, 'node_modules', '.bin', 'sirv'), [site, '--dev', '--host', host, '--port', process.env.TRAINYARD_WEB_PORT ?? '8080'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let said = false;
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => {
    if (said) return; // later lines are sirv's request log
    output += stripVTControlCharacters(String(chunk));
    const url = /Local:\s+(http:\/\/\S+)/.exec(output)?.[1];
    if (url) {
      said = true;
      console.log(`Trainyard's model page: ${url.replace(/\/?$/, '/')}app/ (Ctrl-C stops it)`);
    }
  });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => {
    rmSync(site, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}
