/** Test support: exported files run in OpenCV's DNN module (Debian's python3-opencv), the consumer most strict about a graph's form. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
const HELPER = join(__dirname, 'opencv-forward.py');

const probe = spawnSync(PYTHON, ['-c', 'import cv2; print(cv2.__version__)'], { encoding: 'utf8' });
/** OpenCV's version, or undefined where Debian's Python cannot import cv2. */
export const openCvVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
/** A test's skip: false where OpenCV runs, else why not. */
export const openCvSkip = openCvVersion ? false : `${PYTHON} cannot import cv2 (apt-get install python3-opencv; .ci/run installs it): ${(probe.stderr ?? String(probe.error)).trim().split('\n').at(-1)}`;

export interface OpenCvJob {
  /** The ONNX file's bytes. */
  bytes: Uint8Array;
  /** NCHW float32 input and its dims. */
  images: Float32Array;
  dims: number[];
}

/** Runs every file in one OpenCV process (importing cv2 takes most of a second): its logits, or OpenCV's error, each. */
export function runInOpenCv(jobs: OpenCvJob[]): (Float32Array | string)[] {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-opencv-'));
  try {
    const files = jobs.map((job, i) => {
      const model = join(dir, `${i}.onnx`);
      const input = join(dir, `${i}.in.f32`);
      writeFileSync(model, job.bytes);
      writeFileSync(input, new Uint8Array(job.images.buffer, job.images.byteOffset, job.images.byteLength));
      return { model, input, shape: job.dims, output: join(dir, `${i}.out.f32`) };
    });
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(files));
    const out = spawnSync(PYTHON, [HELPER, join(dir, 'jobs.json')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout.trim().split('\n').map((line, i) => {
      const result = JSON.parse(line) as { ok?: true; error?: string };
      if (result.error !== undefined) return result.error;
      const bytes = readFileSync(files[i].output);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
