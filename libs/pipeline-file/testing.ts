/** Fixtures for tests of pipeline files, here and in the libs that read them. */
import { strict as assert } from 'node:assert';
import { parsePipeline, PipelineError } from './index';

/** The smallest valid pipeline: a linear model on 8x8 inputs; tests append variants, matrix or seeds. */
export const TINY_PIPELINE = `dataset: { source: idx, path: data }
model:
  input: [1, 8, 8]
  layers:
    - { type: flatten }
    - { type: dense, units: 10 }
training:
  learning-rate: 0.001
`;

/** The lines of the PipelineError that refuses `text` (as `p.yaml`, with `overrides` if given); fails if it loads. */
export function problems(text: string, overrides?: unknown): string[] {
  try {
    parsePipeline(text, 'p.yaml', overrides);
  } catch (e) {
    assert.ok(e instanceof PipelineError, `expected PipelineError, got ${String(e)}`);
    return e.message.split('\n');
  }
  assert.fail('expected the pipeline to be refused');
}

/** "Billion laughs": nine levels of aliases, each nine times the one before (9^9 nodes once expanded). */
export const ALIAS_BOMB = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
