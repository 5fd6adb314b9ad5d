import { Identity } from '@tensorflow/tfjs-core';
import { viewWhen } from './wasm-ops';

/** Identity for wasm without a copy: tfjs clones every tensor it saves for the backward pass (34 per LeNet-5 step). */
export const makeIdentityConfig = viewWhen(Identity, () => true);
