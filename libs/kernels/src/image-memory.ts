/**
 * The memory that augmentation's kernels (normal.ts, resample.ts) work in: simd.wat instantiated on a memory of
 * its own, one per thread, as the tensor kernels are on the backend's. Images are copied into imageArea's view,
 * changed there in place, and copied back out.
 */
import { instantiate, newMemory, type SimdKernels, type WasmMemory } from './simd';

const PAGE = 65536;
/**
 * Byte offsets: the ziggurat's tables (k: 128 i32, then w and f: 128 f64 each, then k and w as 128 (i32, f32)
 * pairs) and the generators' states.
 */
export const ZIGGURAT = 0;
export const GENERATORS = 4096;
/** A resampling's column tables (16 bytes a column), up to where the images start. */
export const TABLES = 8192;
export const MAX_GENERATORS = (TABLES - GENERATORS) / 4;
const IMAGES = PAGE;
export const MAX_COLUMNS = Math.floor((IMAGES - TABLES) / 16);

let memory: WasmMemory | undefined;
let kernels: SimdKernels | undefined;
// memory.buffer as of its last growth: the getter is an API call, slow enough to show per image.
let buffer: ArrayBuffer | undefined;

/** The kernels, on this thread's memory (made at the first call; it grows, and keeps what it holds). */
export function imageKernels(): SimdKernels {
  if (kernels === undefined) {
    memory = newMemory(2);
    buffer = memory.buffer;
    kernels = instantiate(memory);
  }
  return kernels;
}

/** The memory's buffer as it is now: a typed array over an earlier one is detached once the memory grew. */
export function imageBuffer(): ArrayBuffer {
  imageKernels();
  return buffer!;
}

/** A view of `floats` floats in the kernels' memory, after the tables; views taken before are detached if it grows. */
export function imageArea(floats: number): Float32Array {
  imageKernels();
  const bytes = IMAGES + 4 * floats;
  if (bytes > buffer!.byteLength) {
    memory!.grow(Math.ceil((bytes - buffer!.byteLength) / PAGE));
    buffer = memory!.buffer;
  }
  return new Float32Array(buffer!, IMAGES, floats);
}

/** The byte offset of `view` in the kernels' memory; throws for an array elsewhere. */
export function pointer(view: Float32Array): number {
  if (view.buffer !== imageBuffer()) throw new Error("an image kernel's array must be a view of imageArea()");
  return view.byteOffset;
}
