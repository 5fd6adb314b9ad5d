// Types of preprocess.js, which the browser loads as it is.
import type { ModelCard } from '../../libs/artifacts';

export function preprocess(raw: ArrayLike<number> & { length: number }, card: Pick<ModelCard, 'preprocessing' | 'input'>): Float32Array;
export function softmax(logits: ArrayLike<number>): number[];
