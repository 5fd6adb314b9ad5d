/** Helpers for tests that read exported models. */
export { decode, opTypes, ints, floatsOf, type DecodedGraph } from './src/testing/decode';
export { openCvSkip, openCvVersion, runInOpenCv, type OpenCvJob } from './src/testing/opencv';
export { maxAbsDiff } from './src/testing/ort';
