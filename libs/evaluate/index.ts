export { evaluateOnnx, type EvaluateOnnxOptions, type EvaluateResult } from './src/evaluate';
export { assertParity } from './src/parity';
export { EvaluateError, ParityError } from './src/errors';
export { testFeatures, withFeatureOutput, type TestFeatures } from './src/features';
export { embed } from './src/embed';
