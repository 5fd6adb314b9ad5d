import type { DropoutLayer } from '../../../graph';
import type { LayerEmitter } from './context';

/** Dropout is the identity at inference: the next layer reads this layer's input directly. */
export const emitDropout: LayerEmitter<DropoutLayer> = ({ input }) => input;
