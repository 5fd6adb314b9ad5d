export { evaluateOnnx, type EvaluateOnnxOptions, type EvaluateResult } from './src/evaluate';
export { assertParity, compareParity, describeParity, type ParityReport } from './src/parity';
export { EvaluateError, ParityError } from './src/errors';
