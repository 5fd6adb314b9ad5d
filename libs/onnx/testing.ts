/** Helpers for tests that read exported models. */
export { decode, opTypes, ints, floatsOf, type DecodedGraph } from './src/testing/decode';
