// Types of preprocess.js, which the browser loads as it is.
import type { ModelCard } from '../../libs/artifacts';

export function toChannels(pixels: ArrayLike<number>, from: number, to: number): Float32Array;
export function preprocess(raw: ArrayLike<number> & { length: number }, card: Pick<ModelCard, 'preprocessing' | 'input'>, size?: [rows: number, columns: number]): Float32Array;
export function softmax(logits: ArrayLike<number>): number[];
