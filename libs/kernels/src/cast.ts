import { Cast } from '@tensorflow/tfjs-core';
import { viewWhen } from './wasm-ops';

/** Cast for wasm without a copy when the dtype stays the same (tf.avgPool's output, for one), which changes nothing; other casts go to the built-in. */
export const makeCastConfig = viewWhen(Cast, (x, attrs) => attrs.dtype === x.dtype);
