import type { ModelSpec } from '../../../graph';

/** LeNet-5 with batch norm after a conv (without bias), after a pool and after a dense, dropout, and a flatten of 16 maps: every fold the export makes. */
export const LENET_BN_DROPOUT: ModelSpec = {
  input: [1, 32, 32],
  layers: [
    { id: 'C1', type: 'conv', filters: 6, kernel: 5, padding: 'same', bias: false }, // [6, 32, 32]
    { id: 'BN1', type: 'batchnorm' },
    { type: 'activation', activation: 'relu' },
    { id: 'S2', type: 'maxpool', size: 2 }, // [6, 16, 16]
    { id: 'C3', type: 'conv', filters: 16, kernel: 5, stride: 2, activation: 'tanh' }, // [16, 6, 6]
    { id: 'S4', type: 'avgpool', size: 2 }, // [16, 3, 3]
    { id: 'BN4', type: 'batchnorm' },
    { type: 'flatten' }, // [144]
    { type: 'dropout', rate: 0.25 },
    { id: 'F5', type: 'dense', units: 120 },
    { id: 'BN5', type: 'batchnorm', epsilon: 1e-3 },
    { type: 'activation', activation: 'relu' },
    { type: 'dropout', rate: 0.5 },
    { id: 'F6', type: 'dense', units: 84, activation: 'relu' },
    { type: 'dropout', rate: 0.5 },
    { id: 'OUT', type: 'dense', units: 10 },
  ],
};
