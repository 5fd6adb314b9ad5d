import { join, resolve } from 'node:path';

/** Outputs live under `<workspace>/artifacts`; TRAINYARD_ARTIFACTS moves them (tests use a temporary folder). */
export function artifactsRoot(workspace = process.cwd()): string {
  return resolve(workspace, process.env.TRAINYARD_ARTIFACTS ?? 'artifacts');
}

export function pipelineDir(pipeline: string, workspace?: string): string {
  return join(artifactsRoot(workspace), pipeline);
}

export function stageDir(pipeline: string, stage: string, workspace?: string): string {
  return join(pipelineDir(pipeline, workspace), stage);
}

/** The file in every stage's folder that says which configuration made it (a StageRecord). */
export const STAGE_RECORD = 'stage.json';
