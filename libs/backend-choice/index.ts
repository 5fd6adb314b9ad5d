/**
 * Which TensorFlow.js backend and how many threads a run trains on, decided without loading TensorFlow.js:
 * the Nx plugin reads them for every cache key, and the train stage uses the same answer.
 */
export {
  nativeInstalled,
  preferredBackend,
  requestedBackend,
  resolveThreads,
  runThreads,
  MIN_SLICE_WORK,
  type BackendName,
  type BackendRequest,
  type ThreadsRequest,
} from './src/choice';
